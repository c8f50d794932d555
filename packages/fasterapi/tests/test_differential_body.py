# SPDX-License-Identifier: MIT
"""Request bodies and response models, on fastapi and fasterapi side by side."""

from typing import Annotated

from pydantic import BaseModel, Field


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float = Field(gt=0)
    tags: list[str] = []


class User(BaseModel):
    username: str
    full_name: str | None = None


class UserIn(User):
    password: str


class PublicItem(BaseModel):
    name: str
    price: float


def test_json_bodies(compare):
    def build(fw):
        app = fw.FastAPI()

        @app.post("/items/", status_code=201)
        async def create_item(item: Item):
            return item

        @app.put("/items/{item_id}")
        async def update_item(
            item_id: int, item: Item, user: User, importance: Annotated[int, fw.Body(gt=0)]
        ):
            return {"item_id": item_id, "item": item, "user": user, "importance": importance}

        @app.post("/embedded")
        async def embedded(item: Annotated[Item, fw.Body(embed=True)]):
            return item

        @app.post("/optional")
        async def optional(item: Item | None = None):
            return {"item": item}

        @app.post("/raw-list")
        async def raw_list(values: list[int]):
            return sum(values)

        return app

    item = {"name": "Foo", "price": 3.5, "tags": ["a"]}
    compare(
        build,
        [
            ("POST", "/items/", {"json": item}),
            ("POST", "/items/", {"json": {"name": "Foo", "price": -1}}),
            ("POST", "/items/", {"json": {"price": "x"}}),
            (
                "POST",
                "/items/",
                {"content": b"{not json", "headers": {"content-type": "application/json"}},
            ),
            (
                "POST",
                "/items/",
                {
                    "content": b'{"name": "a", "price": 1}',
                    "headers": {"content-type": "text/plain"},
                },
            ),
            ("POST", "/items/", {"content": b'{"name": "a", "price": 1}'}),
            ("POST", "/items/", {}),
            ("POST", "/items/", {"json": [1, 2]}),
            (
                "PUT",
                "/items/5",
                {"json": {"item": item, "user": {"username": "u"}, "importance": 3}},
            ),
            ("PUT", "/items/5", {"json": {"item": item, "importance": 0}}),
            ("PUT", "/items/5", {"json": [1]}),
            ("POST", "/embedded", {"json": {"item": item}}),
            ("POST", "/embedded", {"json": item}),
            ("POST", "/optional", {}),
            ("POST", "/optional", {"json": item}),
            ("POST", "/raw-list", {"json": [1, 2, 3]}),
            ("POST", "/raw-list", {"json": [1, "x"]}),
        ],
    )


def test_response_models(compare):
    def build(fw):
        app = fw.FastAPI()

        @app.post("/users/", response_model=User)
        async def create_user(user: UserIn):
            return user

        @app.get("/items/{name}", response_model=PublicItem, response_model_exclude_unset=True)
        async def read_item(name: str):
            return {"name": name, "price": 2.0, "secret": "hidden"}

        @app.get("/annotated")
        async def annotated() -> list[PublicItem]:
            return [PublicItem(name="a", price=1), {"name": "b", "price": 2}]

        @app.get("/broken", response_model=PublicItem)
        async def broken():
            return {"name": "no price"}

        @app.get("/no-content", status_code=204)
        async def no_content():
            return None

        @app.get("/plain")
        def plain():
            return {"float": 1.5, "list": [1, 2], "nested": {"a": None}}

        return app

    compare(
        build,
        [
            ("POST", "/users/", {"json": {"username": "u", "password": "secret"}}),
            ("GET", "/items/x", {}),
            ("GET", "/annotated", {}),
            ("GET", "/broken", {}),
            ("GET", "/no-content", {}),
            ("GET", "/plain", {}),
        ],
    )


def test_limits_and_lax_content_type(compare):
    def build(fw):
        app = fw.FastAPI(max_body_size=64, strict_content_type=False)

        @app.post("/items/")
        async def create_item(item: Item):
            return item

        @app.post("/small/", max_body_size=8)
        async def small(data: dict):
            return data

        @app.post("/form/", form_limits={"max_fields": 1})
        async def form(a: Annotated[str, fw.Form()], b: Annotated[str | None, fw.Form()] = None):
            return [a, b]

        return app

    compare(
        build,
        [
            ("POST", "/items/", {"content": b'{"name": "a", "price": 1}'}),
            ("POST", "/items/", {"content": b'{"name": "' + b"x" * 80 + b'", "price": 1}'}),
            ("POST", "/small/", {"json": {"k": "a long value"}}),
            ("POST", "/small/", {"json": {}}),
            ("POST", "/form/", {"data": {"a": "1"}}),
            ("POST", "/form/", {"data": {"a": "1", "b": "2"}}),
        ],
    )
