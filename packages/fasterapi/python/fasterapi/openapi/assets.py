# SPDX-License-Identifier: MIT
# fasterapi/openapi/assets.py: serve Swagger UI and ReDoc from an installed package
"""The docs pages' JavaScript and CSS, served by the application itself so ``/docs`` and
``/redoc`` work without internet access.

The files come from an installed package that ships them (``fastapi-offline``, installed
with ``pip install fasterapi[docs]``); it is located without being imported. When none is
installed the pages fall back to the public CDN and a warning says so once.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import Any

from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from ..logger import logger

DOCS_ASSETS_PATH = "/_fasterapi/docs-assets"
_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js")


@lru_cache(maxsize=1)
def assets_directory() -> str | None:
    """The directory holding the docs assets, or None when no provider is installed."""
    spec = importlib.util.find_spec("fastapi_offline")
    for location in (spec.submodule_search_locations or []) if spec else []:
        directory = os.path.join(location, "static")
        if all(os.path.isfile(os.path.join(directory, name)) for name in _FILES):
            return directory
    logger.warning(
        "the Swagger UI and ReDoc assets are not installed (pip install 'fasterapi[docs]'); "
        "the docs pages load them from the public CDN"
    )
    return None


def asset_urls(root_path: str) -> dict[str, str]:
    """Keyword arguments for the docs page functions: local asset URLs, or nothing (the
    CDN defaults) when the assets are not installed."""
    if assets_directory() is None:
        return {}
    base = root_path + DOCS_ASSETS_PATH
    return {
        "swagger_js_url": f"{base}/swagger-ui-bundle.js",
        "swagger_css_url": f"{base}/swagger-ui.css",
        "redoc_js_url": f"{base}/redoc.standalone.js",
    }


def docs_assets_app() -> Any:
    """The application serving the assets (404 for everything when not installed)."""
    directory = assets_directory()
    return StaticFiles(directory=directory, check_dir=False) if directory else _NotInstalled()


class _NotInstalled:
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.responses import PlainTextResponse

        response = PlainTextResponse("docs assets are not installed", status_code=404)
        await response(scope, receive, send)
