# SPDX-License-Identifier: MIT
"""The plan compiler: what a route's signature compiles to, and the signatures it refuses."""

from typing import Annotated

import pytest
from pydantic import BaseModel

from fasterapi import Body, Depends, FastAPI, Form, Header, Path, Query, Request
from fasterapi._plan import (
    ARG_PARAM,
    ARG_REQUEST,
    ARG_STEP,
    CALL_ASYNC,
    CALL_ASYNC_GEN,
    CALL_SYNC,
    compile_plan,
)
from fasterapi.dependencies.utils import EndpointSignatureError, get_dependant
from fasterapi.exceptions import DependencyScopeError


class Item(BaseModel):
    name: str


def plan_of(endpoint, path="/items/{item_id}"):
    return compile_plan(get_dependant(path=path, call=endpoint))


def test_parameters_become_slots_in_fastapis_order():
    def paging(skip: int = 0, x_trace: Annotated[str | None, Header()] = None):
        return skip

    async def endpoint(
        item_id: int,
        page: Annotated[int, Depends(paging)],
        q: Annotated[list[str] | None, Query(alias="tag")] = None,
    ):
        return item_id

    plan = plan_of(endpoint)
    # The dependency's parameters come first (it is validated first), then the endpoint's.
    assert [(slot.location, slot.aliases[0][1], slot.owner) for slot in plan.slots] == [
        ("query", "skip", 0),
        ("header", "x-trace", 0),
        ("path", "item_id", 1),
        ("query", "tag", 1),
    ]
    assert [slot.many for slot in plan.slots] == [False, False, False, True]
    assert plan.sources == {"path", "query", "header"}
    assert plan.validator is not None


def test_dependencies_are_flattened_post_order_with_their_subtrees():
    def inner():
        return 1

    async def outer(value: Annotated[int, Depends(inner)]):
        return value

    async def endpoint(
        request: Request, a: Annotated[int, Depends(outer)], b: Annotated[int, Depends(inner)]
    ):
        return a + b

    plan = plan_of(endpoint, "/")
    assert [step.call for step in plan.steps] == [inner, outer, inner, endpoint]
    assert [step.kind for step in plan.steps] == [CALL_SYNC, CALL_ASYNC, CALL_SYNC, CALL_ASYNC]
    assert plan.steps[1].subtree == {0, 1}
    assert plan.steps[3].subtree == {0, 1, 2, 3}
    # inner is declared twice: both occurrences share one cache entry.
    assert plan.steps[0].cache_key == plan.steps[2].cache_key
    assert plan.steps[3].args == [
        ("a", ARG_STEP, 1),
        ("b", ARG_STEP, 2),
        ("request", ARG_REQUEST, None),
    ]
    assert plan.needs_request
    assert not plan.trivial
    assert not plan.needs_exit_stack


def test_trivial_and_exit_stack_flags():
    async def nothing():
        return 1

    async def resource():
        yield "resource"

    async def uses(value: Annotated[str, Depends(resource)]):
        return value

    assert plan_of(nothing, "/").trivial
    with_yield = plan_of(uses, "/")
    assert with_yield.steps[0].kind == CALL_ASYNC_GEN
    assert with_yield.needs_exit_stack
    assert not with_yield.trivial


def test_body_plans():
    async def single(item: Item):
        return item

    async def several(item: Item, importance: Annotated[int, Body()]):
        return item

    async def embedded(item: Annotated[Item, Body(embed=True)]):
        return item

    async def form(name: Annotated[str, Form()]):
        return name

    plan = plan_of(single, "/")
    assert plan.body is not None
    assert not plan.body.embed
    assert plan.body.json_adapter is not None  # validated straight from the bytes
    assert plan.slots == []
    assert plan_of(several, "/").body.embed
    assert plan_of(embedded, "/").body.embed
    form_plan = plan_of(form, "/")
    assert form_plan.body.is_form
    assert form_plan.body.embed
    assert form_plan.needs_exit_stack
    assert form_plan.steps[-1].args[0][1] != ARG_PARAM


def test_refused_signatures_name_the_parameter_and_the_endpoint():
    app = FastAPI()

    async def query_for_path(item_id: Annotated[int, Query()]):
        return item_id

    with pytest.raises(EndpointSignatureError, match=r"item_id.*query_for_path") as error:
        app.get("/items/{item_id}")(query_for_path)
    assert "Cannot use `Query` for path param 'item_id'" in str(error.value)
    assert isinstance(error.value, AssertionError)  # what FastAPI raises

    async def default_in_annotated(q: Annotated[int, Query(default=3)]):
        return q

    with pytest.raises(EndpointSignatureError, match="default value cannot be set in `Annotated`"):
        app.get("/a")(default_in_annotated)

    async def path_default(item_id: Annotated[int, Path()] = 3):
        return item_id

    with pytest.raises(EndpointSignatureError, match="Path parameters cannot have default"):
        app.get("/b/{item_id}")(path_default)

    async def list_of_models(items: Annotated[list[Item], Query()]):
        return items

    with pytest.raises(EndpointSignatureError, match="Query parameter 'items' must be one"):
        app.get("/c")(list_of_models)


def test_a_request_scoped_yield_dependency_cannot_use_a_function_scoped_one():
    def short():
        yield 1

    def long(value: Annotated[int, Depends(short, scope="function")]):
        yield value

    async def endpoint(value: Annotated[int, Depends(long)]):
        return value

    with pytest.raises(DependencyScopeError, match='"long" has a scope of "request"'):
        plan_of(endpoint, "/")
