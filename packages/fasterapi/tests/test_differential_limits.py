# SPDX-License-Identifier: MIT
"""Body and form limits where middleware and mounted applications stand in between, and
FastAPI's extraction helpers, side by side with FastAPI."""

import importlib
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticUndefined
from starlette.datastructures import FormData, Headers, QueryParams

LIMITED = [
    ("POST", "/", {"content": b"12345"}),
    ("POST", "/", {"content": b"123456"}),
    ("POST", "/child/", {"content": b"12345"}),
    ("POST", "/child/", {"content": b"123456"}),
    ("POST", "/nested/mounted/", {"content": b"123456"}),
]


def test_body_limit_through_http_middleware_and_mounts(compare):
    def build(fw):
        app = fw.FastAPI(max_body_size=5)

        async def echo(request: fw.Request):
            return fw.responses.PlainTextResponse(await request.body())

        @app.middleware("http")
        async def pass_through(request, call_next):
            return await call_next(request)

        app.post("/")(echo)
        child = fw.FastAPI()

        @child.middleware("http")
        async def read_first(request, call_next):
            await request.body()
            return await call_next(request)

        child.post("/")(echo)
        app.mount("/child", child)
        mounted = fw.FastAPI()
        mounted.post("/")(echo)
        router = fw.APIRouter()
        router.mount("/mounted", mounted)
        app.include_router(router, prefix="/nested", max_body_size=3)
        return app

    compare(build, LIMITED)


def test_form_limits_reach_routes_given_directly_and_mounted_apps(compare):
    def build(fw):
        async def field(text: Annotated[str, fw.Form()]):
            return text

        route = fw.routing.APIRoute("/", field, methods=["POST"], form_limits={"max_fields": 1})
        child = fw.FastAPI(routes=[route])
        app = fw.FastAPI(form_limits={"max_part_size": 2, "max_fields": 0})
        app.mount("/child", child)
        return app

    compare(
        build,
        [
            ("POST", "/child/", {"files": {"text": (None, "ab")}}),
            ("POST", "/child/", {"files": {"text": (None, "abc")}}),
        ],
    )


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tags: list[str] = []
    limit: int = 10


@pytest.mark.parametrize(
    ("location", "received"),
    [
        ("query", QueryParams([("tags", "a"), ("tags", "b"), ("limit", "3")])),
        ("query", QueryParams([("limit", "many")])),
        ("query", QueryParams([("other", "x")])),
        ("header", Headers({"limit": "4", "x-extra": "y"})),
    ],
)
def test_request_params_to_args_matches_fastapi(location, received):
    results = []
    for name in ("fastapi", "fasterapi"):
        fw = importlib.import_module(name)
        utils = importlib.import_module(f"{name}.dependencies.utils")
        param = fw.Query if location == "query" else fw.Header

        def endpoint(
            filters: Annotated[Filters, param()], q: Annotated[int | None, param()] = None
        ):
            return filters

        dependant = utils.get_dependant(path="/", call=endpoint)
        values, errors = utils.request_params_to_args(
            getattr(dependant, f"{location}_params"), received
        )
        results.append(({key: _plain(value) for key, value in values.items()}, errors))
    assert results[1] == results[0]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("received", "embed"),
    [
        ({"name": "pen", "price": 2}, False),
        ({"item": {"name": "pen", "price": "x"}}, True),
        (None, False),
        (PydanticUndefined, False),  # no body at all
        (FormData([("name", "pen"), ("price", "1.5")]), False),
    ],
)
async def test_request_body_to_args_matches_fastapi(received, embed):
    results = []
    for name in ("fastapi", "fasterapi"):
        fw = importlib.import_module(name)
        utils = importlib.import_module(f"{name}.dependencies.utils")

        class Item(BaseModel):
            name: str
            price: float

        marker = fw.Form() if isinstance(received, FormData) else fw.Body(embed=embed)

        def endpoint(item: Annotated[Item, marker]):
            return item

        dependant = utils.get_dependant(path="/", call=endpoint)
        values, errors = await utils.request_body_to_args(
            body_fields=dependant.body_params, received_body=received, embed_body_fields=embed
        )
        results.append(({key: _plain(value) for key, value in values.items()}, errors))
    assert results[1] == results[0]


def _plain(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value
