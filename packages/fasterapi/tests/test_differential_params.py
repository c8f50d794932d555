# SPDX-License-Identifier: MIT
"""Path, query, header and cookie parameters, on fastapi and fasterapi side by side."""

from enum import Enum
from typing import Annotated
from uuid import UUID


class Color(str, Enum):
    red = "red"
    blue = "blue"


def test_path_and_query_parameters(compare):
    def build(fw):
        app = fw.FastAPI()

        @app.get("/users/me")
        async def me():
            return {"user": "me"}

        @app.get("/users/{user_id}")
        async def user(user_id: int, q: str | None = None, short: bool = False):
            return {"user_id": user_id, "q": q, "short": short}

        @app.get("/files/{file_path:path}")
        def read_file(file_path: str):
            return {"file_path": file_path}

        @app.get("/colors/{color}")
        async def color(color: Color):
            return {"color": color}

        @app.get("/things/{thing_id}")
        async def thing(
            thing_id: Annotated[UUID, fw.Path(title="The thing")],
            size: Annotated[int, fw.Query(ge=1, le=100)] = 10,
            tags: Annotated[list[str] | None, fw.Query(max_length=3)] = None,
            name: Annotated[str | None, fw.Query(alias="item-name", pattern="^[a-z]+$")] = None,
        ):
            return {"id": thing_id, "size": size, "tags": tags, "name": name}

        return app

    uuid = "8c6f5a3e-1d2b-4c5d-9e8f-0a1b2c3d4e5f"
    compare(
        build,
        [
            ("GET", "/users/me", {}),
            ("GET", "/users/42?q=hello&short=yes", {}),
            ("GET", "/users/42?short=maybe", {}),
            ("GET", "/users/abc", {}),
            ("GET", "/files/a/b/c.txt", {}),
            ("GET", "/colors/red", {}),
            ("GET", "/colors/green", {}),
            ("GET", f"/things/{uuid}?size=5&tags=a&tags=b&item-name=abc", {}),
            ("GET", f"/things/{uuid}?size=0&tags=a&tags=b&tags=c&tags=d&item-name=ABC", {}),
            ("GET", "/things/not-a-uuid", {}),
            ("GET", "/missing", {}),
            ("POST", "/users/1", {}),
        ],
    )


def test_headers_and_cookies(compare):
    def build(fw):
        app = fw.FastAPI()

        @app.get("/headers")
        async def headers(
            user_agent: Annotated[str | None, fw.Header()] = None,
            x_token: Annotated[list[str] | None, fw.Header()] = None,
            strange_header: Annotated[str | None, fw.Header(convert_underscores=False)] = None,
        ):
            return {"ua": user_agent, "tokens": x_token, "strange": strange_header}

        @app.get("/cookies")
        async def cookies(
            session: Annotated[str, fw.Cookie()], theme: str | None = fw.Cookie(None)
        ):
            return {"session": session, "theme": theme}

        @app.get("/required-header")
        async def required(x_key: Annotated[int, fw.Header()]):
            return {"key": x_key}

        return app

    compare(
        build,
        [
            ("GET", "/headers", {"headers": {"User-Agent": "t", "X-Token": "a"}}),
            ("GET", "/headers", {"headers": [("x-token", "a"), ("x-token", "b")]}),
            ("GET", "/headers", {"headers": {"strange_header": "s"}}),
            ("GET", "/cookies", {"headers": {"cookie": "session=abc; theme=dark"}}),
            ("GET", "/cookies", {}),
            ("GET", "/required-header", {"headers": {"x-key": "12"}}),
            ("GET", "/required-header", {"headers": {"x-key": "twelve"}}),
            ("GET", "/required-header", {}),
        ],
    )
