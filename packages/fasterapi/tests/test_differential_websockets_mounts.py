# SPDX-License-Identifier: MIT
"""WebSockets, sub-applications, static files and more middleware, side by side."""

import importlib
from typing import Annotated

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect


def test_mounts_static_files_and_middleware(compare, tmp_path):
    (tmp_path / "hello.txt").write_text("hello " * 200)

    def build(fw):
        app = fw.FastAPI()
        app.add_middleware(fw.gzip.GZipMiddleware, minimum_size=100)
        sub = fw.FastAPI()

        @sub.get("/sub")
        async def in_sub(q: int = 1):
            return {"sub": q}

        app.mount("/subapi", sub)
        staticfiles = importlib.import_module(f"{fw.__name__}.staticfiles")
        app.mount("/static", staticfiles.StaticFiles(directory=tmp_path), name="static")

        @app.get("/big")
        async def big():
            return {"text": "x" * 500}

        @app.get("/url")
        async def url(request: fw.Request):
            return {"static": str(request.url_for("static", path="hello.txt"))}

        return app

    compare(
        build,
        [
            ("GET", "/subapi/sub?q=5", {}),
            ("GET", "/subapi/sub?q=x", {}),
            ("GET", "/subapi/openapi.json", {}),
            ("GET", "/static/hello.txt", {"headers": {"accept-encoding": "gzip"}}),
            ("GET", "/static/missing.txt", {}),
            ("GET", "/big", {"headers": {"accept-encoding": "gzip"}}),
            ("GET", "/url", {}),
        ],
    )


def _websocket_app(fw):
    app = fw.FastAPI()

    async def token(token: str | None = None):
        if token != "secret":
            raise fw.WebSocketException(code=1008, reason="bad token")
        return token

    @app.websocket("/ws/{room}")
    async def chat(websocket: fw.WebSocket, room: int, user: Annotated[str, fw.Depends(token)]):
        await websocket.accept()
        async for text in websocket.iter_text():
            await websocket.send_json({"room": room, "user": user, "text": text})

    return app


@pytest.mark.parametrize("name", ["fastapi", "fasterapi"])
def test_websockets(name):
    app = _websocket_app(importlib.import_module(name))
    client = TestClient(app)
    with client.websocket_connect("/ws/3?token=secret") as websocket:
        websocket.send_text("hi")
        assert websocket.receive_json() == {"room": 3, "user": "secret", "text": "hi"}
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect("/ws/3"):
        pass
    assert (closed.value.code, closed.value.reason) == (1008, "bad token")
    with (
        pytest.raises(WebSocketDisconnect) as invalid,
        client.websocket_connect("/ws/not-a-number?token=secret"),
    ):
        pass
    assert invalid.value.code == 1008
    # The errors travel as the close reason, as FastAPI sends them.
    assert invalid.value.reason[0]["type"] == "int_parsing"
