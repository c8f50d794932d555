# SPDX-License-Identifier: MIT
"""The Starlette adapter gives the same responses as Starlette's own routing."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Host, Mount, Route, Router, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from fasterapi_router.starlette import accelerate


async def describe(request: Request) -> JSONResponse:
    route = request.scope.get("route")
    return JSONResponse(
        {
            "route": getattr(route, "path", None),
            "params": {k: repr(v) for k, v in request.path_params.items()},
            "root_path": request.scope.get("root_path", ""),
        }
    )


async def echo_socket(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json({"params": {k: repr(v) for k, v in websocket.path_params.items()}})
    await websocket.close()


def sub_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/", describe, name="sub_root"),
            Route("/items/{item_id:int}", describe, name="sub_item"),
        ]
    )


def make_app() -> Starlette:
    routes: list[Any] = [
        Route("/", describe, name="root"),
        Route("/users/{user_id}", describe, name="user_any"),
        Route("/users/me", describe, name="me"),  # registered later: Starlette never reaches it
        Route("/items/{item_id:int}", describe, methods=["GET", "PUT"], name="item"),
        Route("/items/{name}", describe, methods=["POST"], name="item_named"),
        Route("/prices/{p:float}", describe, name="price"),
        Route("/orders/{o:uuid}", describe, name="order"),
        Route("/files/{path:path}", describe, name="files"),
        Route("/slash/", describe, name="slash"),
        Route("/noslash", describe, name="noslash"),
        Route("/f/{name}.{ext}", describe, name="file_ext"),
        WebSocketRoute("/ws/{room}", echo_socket, name="ws"),
        Mount("/sub", app=sub_app(), name="sub"),
        Mount(
            "/nested/{tenant}",
            routes=[Route("/docs/{doc_id:int}", describe, name="doc")],
            name="nested",
        ),
    ]
    return Starlette(routes=routes)


REQUESTS = [
    ("GET", "/"),
    ("GET", "/users/42"),
    ("GET", "/users/me"),
    ("POST", "/users/42"),
    ("GET", "/items/5"),
    ("PUT", "/items/5"),
    ("DELETE", "/items/5"),
    ("POST", "/items/5"),
    ("POST", "/items/abc"),
    ("GET", "/items/abc"),
    ("HEAD", "/items/5"),
    ("GET", "/prices/1.25"),
    ("GET", "/prices/x"),
    ("GET", "/orders/12345678-1234-5678-1234-567812345678"),
    ("GET", "/orders/nope"),
    ("GET", "/files/a/b/c.txt"),
    ("GET", "/files/"),
    ("GET", "/slash"),
    ("GET", "/noslash/"),
    ("GET", "/f/archive.tar.gz"),
    ("GET", "/sub/"),
    ("GET", "/sub"),
    ("GET", "/sub/items/3"),
    ("GET", "/sub/items/x"),
    ("GET", "/nested/acme/docs/9"),
    ("GET", "/nested/acme/docs/x"),
    ("GET", "/missing"),
    ("GET", "/users/a%2Fb"),
    ("GET", "/caf%C3%A9"),
]


def responses(app: Starlette) -> list[tuple[Any, ...]]:
    client = TestClient(app, follow_redirects=False)
    out = []
    for method, path in REQUESTS:
        response = client.request(method, path)
        out.append(
            (
                method,
                path,
                response.status_code,
                response.headers.get("allow"),
                response.headers.get("location"),
                response.text,
            )
        )
    return out


def test_same_responses_as_starlette() -> None:
    plain, fast = make_app(), make_app()
    accelerate(fast)
    assert responses(fast) == responses(plain)


def test_same_websocket_behaviour() -> None:
    fast = make_app()
    accelerate(fast)
    with TestClient(fast).websocket_connect("/ws/lobby") as websocket:
        assert websocket.receive_json() == {"params": {"room": "'lobby'"}}


def test_url_path_for_is_starlettes() -> None:
    plain, fast = make_app(), make_app()
    accelerate(fast)
    for app in (plain, fast):
        assert app.url_path_for("item", item_id=3) == "/items/3"
        assert app.url_path_for("sub:sub_item", item_id=4) == "/sub/items/4"


def test_routes_added_later_are_picked_up() -> None:
    app = make_app()
    accelerate(app)
    client = TestClient(app)
    assert client.get("/late").status_code == 404
    app.router.routes.append(Route("/late", describe))
    assert client.get("/late").status_code == 200


def test_host_routes_keep_starlettes_matching() -> None:
    def build() -> Starlette:
        return Starlette(routes=[Host("api.example.com", app=sub_app()), Route("/", describe)])

    plain, fast = build(), build()
    accelerate(fast)
    for app in (plain, fast):
        client = TestClient(app, base_url="http://api.example.com")
        assert client.get("/items/2").status_code == 200
        assert client.get("/", headers={"host": "other"}).status_code == 200


def test_router_with_middleware_and_bare_router() -> None:
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware

    router = Router(routes=[Route("/x/{n:int}", describe)], middleware=[Middleware(GZipMiddleware)])
    accelerate(router)
    response = TestClient(router).get("/x/3")
    assert response.status_code == 200
    assert response.json()["params"] == {"n": "3"}


def test_rejects_other_objects() -> None:
    with pytest.raises(TypeError, match="cannot accelerate 'int'"):
        accelerate(3)
    app = make_app()
    accelerate(app)
    with pytest.raises(TypeError, match="already replaced"):
        accelerate(app)


def test_plain_text_app_is_unaffected() -> None:
    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hi")

    app = Starlette(routes=[Route("/", hello)])
    accelerate(app)
    assert TestClient(app).get("/").text == "hi"


def test_on_route_sees_the_chosen_route_and_the_redirect_target() -> None:
    from fasterapi_router.starlette import TreeDispatch

    chosen: list[str] = []
    router = Router(routes=[Route("/items/{item_id:int}", describe), Mount("/sub", sub_app())])
    dispatch = TreeDispatch(router, on_route=lambda scope, route: chosen.append(route.path))
    router.middleware_stack = dispatch
    client = TestClient(router, follow_redirects=False)
    assert client.get("/items/3").status_code == 200
    assert client.get("/sub/items/2").status_code == 200
    assert client.get("/items/3/").status_code == 307  # the slash redirect's target
    assert client.get("/nowhere").status_code == 404
    assert chosen == ["/items/{item_id:int}", "/sub", "/items/{item_id:int}"]


def test_same_matching_lets_the_tree_serve_a_route_subclass() -> None:
    from fasterapi_router.starlette import TreeDispatch, same_matching

    class TaggedRoute(Route):
        def matches(self, scope: Any) -> Any:
            match, child_scope = super().matches(scope)
            child_scope["route"] = self
            return match, child_scope

    router = Router(routes=[TaggedRoute("/tagged/{n:int}", describe)])
    assert not TreeDispatch(router)._compiled.usable  # unknown matching: Starlette's scan
    same_matching(TaggedRoute, Route)
    assert TreeDispatch(router)._compiled.usable
    accelerate(router)
    assert TestClient(router).get("/tagged/5").json()["params"] == {"n": "5"}
