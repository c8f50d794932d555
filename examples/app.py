# SPDX-License-Identifier: MIT
# examples/app.py: the example application, written as a FastAPI user writes one
"""A small inventory API on fasterapi: path, query and body validation, a dependency, an
APIRouter, ``/docs``, and items stored in PostgreSQL through a fasterapi-pg pool.

``DATABASE_URL`` names the database; without it a throw-away local cluster is started (and
removed at exit). Serve with ``bash ci/demo.sh`` and try::

    curl http://127.0.0.1:8000/items
    curl -X POST http://127.0.0.1:8000/items -H 'content-type: application/json' \\
         -d '{"name": "lamp", "price": 25.5, "tags": ["home"]}'
    curl http://127.0.0.1:8000/items/1
    curl 'http://127.0.0.1:8000/items?limit=0'        # 422, as FastAPI writes it
    open http://127.0.0.1:8000/docs
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import uvicorn
from pydantic import BaseModel, Field

import fasterapi_pg
from fasterapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    price: float = Field(gt=0)
    tags: list[str] = []


class Item(ItemIn):
    id: int


SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    price double precision NOT NULL,
    tags text[] NOT NULL DEFAULT '{}'
)
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with fasterapi_pg.AsyncPool(app.state.dsn, min_size=1, max_size=4) as pool:
        await pool.execute(SCHEMA)
        app.state.pool = pool
        yield


def get_pool(request: Request) -> fasterapi_pg.AsyncPool:
    return request.app.state.pool  # type: ignore[no-any-return]


Pool = Annotated[fasterapi_pg.AsyncPool, Depends(get_pool)]
items = APIRouter(prefix="/items", tags=["items"])


def to_item(record: fasterapi_pg.Record) -> Item:
    return Item(id=record["id"], name=record["name"], price=record["price"], tags=record["tags"])


@items.get("")
async def list_items(
    pool: Pool,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    tag: str | None = None,
) -> list[Item]:
    """Items, newest first, optionally only those with *tag*."""
    rows = await pool.fetch(
        "SELECT id, name, price, tags FROM items WHERE $1::text IS NULL OR $1 = ANY(tags) "
        "ORDER BY id DESC LIMIT $2",
        tag,
        limit,
    )
    return [to_item(row) for row in rows]


@items.get("/{item_id}")
async def read_item(pool: Pool, item_id: Annotated[int, Path(ge=1)]) -> Item:
    row = await pool.fetchrow("SELECT id, name, price, tags FROM items WHERE id = $1", item_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return to_item(row)


@items.post("", status_code=201)
async def create_item(pool: Pool, item: ItemIn) -> Item:
    row = await pool.fetchrow(
        "INSERT INTO items (name, price, tags) VALUES ($1, $2, $3) RETURNING id, name, price, tags",
        item.name,
        item.price,
        item.tags,
    )
    assert row is not None
    return to_item(row)


app = FastAPI(title="Inventory", version="1.0.0", lifespan=lifespan)
app.include_router(items)


@app.get("/")
async def root() -> dict[str, str]:
    return {"service": "inventory", "docs": "/docs"}


def main() -> None:
    port = int(os.environ.get("PORT", "8000"))
    dsn = os.environ.get("DATABASE_URL")
    if dsn:
        app.state.dsn = dsn
        uvicorn.run(app, host="127.0.0.1", port=port)
        return
    from fasterapi_testing import TempCluster

    print("DATABASE_URL is not set: starting a throw-away PostgreSQL cluster")
    with TempCluster() as cluster:
        app.state.dsn = cluster.dsn
        uvicorn.run(app, host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
