# SPDX-License-Identifier: MIT
# fasterapi/_frontend.py: serve a frontend build (a single-page application) from a directory
"""``app.frontend("/", directory="dist")``: the files of a frontend build, served after every
other route had its chance (API routes, mounts and slash redirects win).

A path under the frontend serves its file (a directory its ``index.html``, redirecting to
the slash form first). A missing file gets the build's ``404.html`` when it has one, else —
for a browser navigation (``Accept`` includes ``text/html``) — its ``index.html``, so the
application's client-side router handles the path; otherwise a plain 404. ``fallback``
chooses: ``"auto"`` (that order), ``"index.html"``, ``"404.html"`` or ``None``. Other methods
than GET/HEAD get 405 where a file exists, else 404. The router's dependencies run before a
file is served (e.g. to protect it)."""

from __future__ import annotations

import contextlib
import email.message
import errno
import os
import stat
import warnings
from collections.abc import Iterator, Sequence
from contextlib import AsyncExitStack
from typing import Any, Literal

from starlette._utils import get_route_path
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL, Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from . import params

Fallback = Literal["auto", "index.html", "404.html"] | None
FRONTEND_PATH_KEY = "fasterapi.frontend_path"


def normalize_path(path: str) -> str:
    if not path:
        raise AssertionError("A frontend path cannot be empty")
    if not path.startswith("/"):
        raise AssertionError("A frontend path must start with '/'")
    return path if path == "/" else path.rstrip("/")


def join_paths(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return prefix if path == "/" else prefix + path


def specificity(path: str) -> int:
    """Longer frontend paths win; the root frontend loses to every other."""
    return 0 if path == "/" else len(path)


def resolve_check_dir(directory: Any, check_dir: bool | Literal["auto"]) -> bool:
    """``"auto"``: check that the directory exists now, except in development
    (``FASTAPI_ENV=development``), where a build may appear later (a warning says so)."""
    if check_dir != "auto":
        return bool(check_dir)
    if os.environ.get("FASTAPI_ENV") != "development":
        return True
    if not os.path.isdir(directory):
        warnings.warn(
            f"Frontend directory '{directory}' does not exist. "
            f"Resolved absolute path: '{os.path.realpath(os.fspath(directory))}'",
            stacklevel=4,
        )
    return False


def _accepted_media_types(accept: str) -> Iterator[tuple[str, float]]:
    for raw in accept.split(","):
        message = email.message.Message()
        message["content-type"] = raw.strip()
        quality = 1.0
        q = message.get_param("q")
        if isinstance(q, str):
            with contextlib.suppress(ValueError):
                quality = float(q)
        yield f"{message.get_content_maintype()}/{message.get_content_subtype()}", quality


def is_navigation(scope: Scope) -> bool:
    """A browser navigating (it explicitly accepts HTML), not a script fetching an asset."""
    accept = Headers(scope=scope).get("accept", "")
    return any(
        media in ("text/html", "application/xhtml+xml") and quality != 0
        for media, quality in _accepted_media_types(accept)
    )


class FrontendFiles(StaticFiles):
    """StaticFiles with the frontend's fallbacks (see the module docstring)."""

    def __init__(self, *, directory: Any, fallback: Fallback, check_dir: bool) -> None:
        self.fallback = fallback
        if check_dir and not os.path.isdir(directory):
            raise RuntimeError(
                f"Frontend directory '{directory}' does not exist. "
                f"Resolved absolute path: '{os.path.realpath(os.fspath(directory))}'"
            )
        super().__init__(directory=directory, html=True, check_dir=check_dir, follow_symlink=False)
        if check_dir and fallback in ("index.html", "404.html"):
            _, found = self.lookup_path(fallback)
            if found is None or not stat.S_ISREG(found.st_mode):
                raise RuntimeError(self._missing_fallback(fallback))

    def _missing_fallback(self, fallback: str) -> str:
        resolved = os.path.realpath(os.fspath(self.directory or ""))
        return (
            f"Frontend fallback file '{fallback}' does not exist in directory "
            f"'{self.directory}'. Resolved absolute directory: '{resolved}'"
        )

    async def response_for(self, scope: Scope, path: str) -> Response:
        if not self.config_checked:
            await self.check_config()
            self.config_checked = True
        return await self._response(os.path.normpath(os.path.join(*path.split("/"))), scope)

    async def _response(self, path: str, scope: Scope) -> Response:
        found = await self._resource(path)
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405 if found is not None else 404)
        if found is not None:
            full_path, stat_result, is_index = found
            if is_index and not scope["path"].endswith("/"):
                url = URL(scope=scope)
                return RedirectResponse(url=url.replace(path=url.path + "/"))
            return self.file_response(full_path, stat_result, scope)
        if self.fallback == "404.html" or (
            self.fallback == "auto" and await self._is_file("404.html")
        ):
            return await self._fallback("404.html", scope, 404)
        wants_index = self.fallback == "index.html" or (
            self.fallback == "auto" and await self._is_file("index.html")
        )
        if wants_index and is_navigation(scope):
            return await self._fallback("index.html", scope, 200)
        raise HTTPException(status_code=404)

    async def _lookup(self, path: str) -> tuple[str, os.stat_result | None]:
        try:
            return await run_in_threadpool(self.lookup_path, path)
        except PermissionError:
            raise HTTPException(status_code=401) from None
        except OSError as error:
            if error.errno == errno.ENAMETOOLONG:
                raise HTTPException(status_code=404) from None
            raise
        except ValueError:
            raise HTTPException(status_code=404) from None

    async def _resource(self, path: str) -> tuple[str, os.stat_result, bool] | None:
        full_path, found = await self._lookup(path)
        if found is None:
            return None
        if stat.S_ISREG(found.st_mode):
            return full_path, found, False
        if stat.S_ISDIR(found.st_mode):
            full_path, found = await self._lookup(os.path.join(path, "index.html"))
            if found is not None and stat.S_ISREG(found.st_mode):
                return full_path, found, True
        return None

    async def _is_file(self, name: str) -> bool:
        _, found = await run_in_threadpool(self.lookup_path, name)
        return found is not None and stat.S_ISREG(found.st_mode)

    async def _fallback(self, name: str, scope: Scope, status_code: int) -> Response:
        full_path, found = await run_in_threadpool(self.lookup_path, name)
        if found is None or not stat.S_ISREG(found.st_mode):
            raise RuntimeError(self._missing_fallback(name))
        return self.file_response(full_path, found, scope, status_code=status_code)


class FrontendRoute(BaseRoute):
    """One frontend: its path prefix, its files, and the dependencies to run first."""

    def __init__(
        self,
        path: str,
        *,
        directory: Any,
        fallback: Fallback = "auto",
        check_dir: bool,
        dependencies: Sequence[params.Depends] = (),
        dependency_overrides_provider: Any = None,
    ) -> None:
        if fallback not in ("auto", "index.html", "404.html", None):
            raise AssertionError("fallback must be 'auto', 'index.html', '404.html', or None")
        self.path = normalize_path(path)
        self.methods = {"GET", "HEAD"}
        self.directory = directory
        self.fallback = fallback
        self.check_dir = check_dir
        self.dependencies = list(dependencies)
        self.dependency_overrides_provider = dependency_overrides_provider
        self.files = FrontendFiles(directory=directory, fallback=fallback, check_dir=check_dir)
        self._plans: Any = None
        if self.dependencies:
            from ._plan import PlanCache
            from .dependencies.utils import get_dependant, get_parameterless_sub_dependant

            dependant = get_dependant(path=self.path, call=_frontend_dependencies)
            dependant.dependencies = [
                get_parameterless_sub_dependant(depends=depends, path=self.path)
                for depends in self.dependencies
            ]
            self._plans = PlanCache(dependant)

    def relative_path(self, route_path: str) -> str | None:
        if self.path == "/":
            return route_path.lstrip("/")
        if route_path == self.path:
            return ""
        prefix = self.path + "/"
        return route_path[len(prefix) :] if route_path.startswith(prefix) else None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        relative = self.relative_path(get_route_path(scope))
        if relative is None:
            return Match.NONE, {}
        child_scope = {FRONTEND_PATH_KEY: relative}
        return (Match.FULL if scope["method"] in self.methods else Match.PARTIAL), child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        relative = scope.get(FRONTEND_PATH_KEY, "")
        if self._plans is None or scope["method"] not in self.methods:
            response = await self.files.response_for(scope, relative)
            await response(scope, receive, send)
            return
        await self._handle_with_dependencies(scope, receive, send, relative)

    async def _handle_with_dependencies(
        self, scope: Scope, receive: Receive, send: Send, relative: str
    ) -> None:
        """Run the dependencies (validated like an endpoint's, with their cleanups after the
        response), then serve; their response headers and background tasks are kept."""
        from ._run import solve
        from .exceptions import RequestValidationError

        plan = self._plans.current(self.dependency_overrides_provider)
        request = Request(scope, receive, send)
        async with AsyncExitStack() as request_stack:
            async with AsyncExitStack() as function_stack:
                solved = await solve(plan, request, request_stack, function_stack)
                if solved.errors:
                    raise RequestValidationError(solved.errors)
                response = await self.files.response_for(scope, relative)
            if response.background is None:
                response.background = solved.background
            if solved.response is not None:
                response.headers.raw.extend(solved.response.headers.raw)
            await response(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    def with_prefix(
        self, prefix: str, dependencies: Sequence[params.Depends], provider: Any
    ) -> FrontendRoute:
        """This frontend as included under *prefix* with *dependencies* run first."""
        return FrontendRoute(
            join_paths(prefix, self.path),
            directory=self.directory,
            fallback=self.fallback,
            check_dir=self.check_dir,
            dependencies=[*dependencies, *self.dependencies],
            dependency_overrides_provider=provider,
        )


def _frontend_dependencies() -> None:
    """The "endpoint" whose dependencies a frontend runs before serving a file."""


def best_match(
    routes: Sequence[FrontendRoute], scope: Scope
) -> tuple[Match, FrontendRoute | None, Scope]:
    """The most specific frontend for *scope*: full matches before partial ones."""
    best: dict[Match, tuple[int, FrontendRoute, Scope]] = {}
    for route in routes:
        match, child_scope = route.matches(scope)
        if match == Match.NONE:
            continue
        rank = specificity(route.path)
        if match not in best or rank > best[match][0]:
            best[match] = (rank, route, child_scope)
    for match in (Match.FULL, Match.PARTIAL):
        if match in best:
            _, route, child_scope = best[match]
            return match, route, child_scope
    return Match.NONE, None, {}
