# SPDX-License-Identifier: MIT
"""Dependencies, routers, errors, middleware and background work, side by side."""

from typing import Annotated

from pydantic import BaseModel


class Page(BaseModel):
    skip: int = 0
    limit: int = 100


def test_dependencies(compare):
    def build(fw):
        app = fw.FastAPI()
        calls = []

        async def common(q: str | None = None, skip: int = 0, limit: int = 100):
            calls.append("common")
            return {"q": q, "skip": skip, "limit": limit}

        class Pager:
            def __init__(self, page: int = 1, size: int = 10):
                self.page, self.size = page, size

        def token(x_token: Annotated[str, fw.Header()]):
            if x_token != "secret":
                raise fw.HTTPException(status_code=400, detail="X-Token header invalid")
            return x_token

        async def db():
            calls.append("open")
            try:
                yield {"session": len(calls)}
            finally:
                calls.append("close")

        def counted(
            c1: Annotated[dict, fw.Depends(common)], c2: Annotated[dict, fw.Depends(common)]
        ):
            return c1 is c2

        def uncached(
            c1: Annotated[dict, fw.Depends(common)],
            c2: Annotated[dict, fw.Depends(common, use_cache=False)],
        ):
            return c1 is c2

        @app.get("/items/")
        async def items(commons: Annotated[dict, fw.Depends(common)]):
            return commons

        @app.get("/pages/")
        async def pages(pager: Annotated[Pager, fw.Depends()]):
            return {"page": pager.page, "size": pager.size}

        @app.get("/secure/", dependencies=[fw.Depends(token)])
        async def secure(limit: int = 5):
            return {"limit": limit}

        @app.get("/db/")
        async def with_db(session: Annotated[dict, fw.Depends(db)]):
            return session

        @app.get("/cached/")
        def cached(
            same: Annotated[bool, fw.Depends(counted)], other: Annotated[bool, fw.Depends(uncached)]
        ):
            return {"same": same, "other": other}

        @app.get("/calls/")
        def get_calls():
            return calls

        return app

    compare(
        build,
        [
            ("GET", "/items/?q=a&skip=1", {}),
            ("GET", "/items/?skip=x&limit=y", {}),
            ("GET", "/pages/?page=3", {}),
            ("GET", "/secure/", {"headers": {"x-token": "secret"}}),
            ("GET", "/secure/?limit=z", {"headers": {"x-token": "wrong"}}),
            ("GET", "/secure/?limit=z", {}),
            ("GET", "/db/", {}),
            ("GET", "/cached/", {}),
            ("GET", "/calls/", {}),
        ],
    )


def test_dependency_overrides():
    import fastapi
    from starlette.testclient import TestClient

    import fasterapi

    for fw in (fastapi, fasterapi):
        app = fw.FastAPI()

        def real(q: str | None = None):
            return {"real": q}

        def fake(z: int = 0):
            return {"fake": z}

        @app.get("/")
        async def root(value: Annotated[dict, fw.Depends(real)]):
            return value

        client = TestClient(app)
        assert client.get("/?q=1").json() == {"real": "1"}
        app.dependency_overrides[real] = fake
        assert client.get("/?z=5").json() == {"fake": 5}
        assert client.get("/?z=x").status_code == 422
        app.dependency_overrides.clear()
        assert client.get("/?q=2").json() == {"real": "2"}


def test_routers_errors_and_middleware(compare):
    def build(fw):
        app = fw.FastAPI(title="Shop", version="2.0.0")
        app.add_middleware(
            fw.cors.CORSMiddleware, allow_origins=["https://example.com"], allow_methods=["*"]
        )

        class Oops(Exception):
            pass

        @app.exception_handler(Oops)
        async def oops_handler(request, exc):
            return fw.responses.JSONResponse(status_code=418, content={"oops": True})

        @app.middleware("http")
        async def add_header(request, call_next):
            response = await call_next(request)
            response.headers["x-custom"] = "yes"
            return response

        router = fw.APIRouter(
            prefix="/users", tags=["users"], responses={404: {"description": "Nope"}}
        )

        @router.get("/{user_id}", summary="Read a user", response_description="The user")
        async def read_user(user_id: int):
            if user_id == 0:
                raise fw.HTTPException(
                    404, detail="User not found", headers={"x-custom": "missing"}
                )
            if user_id == 1:
                raise Oops()
            return {"user_id": user_id}

        @router.delete("/{user_id}", status_code=204, deprecated=True)
        async def delete_user(user_id: int):
            return None

        admin = fw.APIRouter()

        @admin.post("/reset", operation_id="reset_all")
        def reset(page: Annotated[Page, fw.Depends()]):
            """Reset everything.

            More words."""
            return page

        app.include_router(router)
        app.include_router(admin, prefix="/admin", tags=["admin"])

        @app.get("/html", response_class=fw.responses.HTMLResponse)
        async def html():
            return "<p>hi</p>"

        @app.get("/redirect")
        async def redirect():
            return fw.responses.RedirectResponse("/html")

        @app.get("/cookie")
        async def cookie(response: fw.Response):
            response.set_cookie("flavour", "oat")
            response.status_code = 202
            return {"ok": True}

        @app.get("/background")
        async def background(tasks: fw.BackgroundTasks):
            tasks.add_task(lambda: None)
            return {"queued": True}

        return app

    compare(
        build,
        [
            ("GET", "/users/7", {"headers": {"origin": "https://example.com"}}),
            ("GET", "/users/0", {}),
            ("GET", "/users/1", {}),
            ("DELETE", "/users/3", {}),
            ("POST", "/admin/reset?skip=2", {}),
            ("GET", "/html", {}),
            ("GET", "/redirect", {"follow_redirects": False}),
            ("GET", "/cookie", {}),
            ("GET", "/background", {}),
            (
                "OPTIONS",
                "/users/7",
                {
                    "headers": {
                        "origin": "https://example.com",
                        "access-control-request-method": "GET",
                    }
                },
            ),
        ],
    )


def test_errors_without_middleware(compare):
    def build(fw):
        app = fw.FastAPI()

        class Teapot(Exception):
            pass

        @app.exception_handler(Teapot)
        def teapot(request, exc):
            return fw.responses.PlainTextResponse("short and stout", status_code=418)

        @app.get("/boom")
        async def boom():
            raise RuntimeError("boom")

        @app.get("/teapot")
        def tea():
            raise Teapot()

        @app.get("/text", response_class=fw.responses.PlainTextResponse)
        async def text():
            return "plain"

        @app.get("/nothing")
        async def nothing():
            return None

        return app

    compare(
        build,
        [
            ("GET", "/boom", {}),
            ("GET", "/teapot", {}),
            ("GET", "/text", {}),
            ("GET", "/nothing", {}),
            ("PUT", "/text", {}),
            ("GET", "/nowhere", {}),
        ],
    )


def test_custom_server_error_handler(compare):
    def build(fw):
        async def on_error(request, exc):
            return fw.responses.JSONResponse({"error": str(exc)}, status_code=500)

        app = fw.FastAPI(exception_handlers={500: on_error})

        @app.get("/boom")
        async def boom():
            raise ValueError("bad value")

        return app

    compare(build, [("GET", "/boom", {})])
