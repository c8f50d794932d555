# SPDX-License-Identifier: MIT
"""fasterapi: a drop-in replacement for FastAPI, with routes compiled once into plans and
matched by the native fasterapi-router.

Example::

    from fasterapi import FastAPI   # or FasterAPI

    app = FastAPI()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int, q: str | None = None):
        return {"item_id": item_id, "q": q}
"""

__version__ = "0.1.0"

from starlette import status as status

from .applications import FastAPI as FastAPI
from .applications import FasterAPI as FasterAPI
from .background import BackgroundTasks as BackgroundTasks
from .datastructures import UploadFile as UploadFile
from .exceptions import FasterAPIError as FasterAPIError
from .exceptions import HTTPException as HTTPException
from .exceptions import WebSocketException as WebSocketException
from .param_functions import Body as Body
from .param_functions import Cookie as Cookie
from .param_functions import Depends as Depends
from .param_functions import File as File
from .param_functions import Form as Form
from .param_functions import Header as Header
from .param_functions import Path as Path
from .param_functions import Query as Query
from .param_functions import Security as Security
from .requests import Request as Request
from .responses import Response as Response
from .routing import APIRouter as APIRouter
from .websockets import WebSocket as WebSocket
from .websockets import WebSocketDisconnect as WebSocketDisconnect
