# SPDX-License-Identifier: MIT
"""Serving a frontend build after the API routes, side by side."""

from typing import Annotated


def test_frontend(compare, tmp_path):
    dist = tmp_path / "dist"
    (dist / "guide").mkdir(parents=True)
    (dist / "index.html").write_text("<h1>app</h1>")
    (dist / "app.js").write_text("console.log(1)")
    (dist / "guide" / "index.html").write_text("<h1>guide</h1>")
    admin = tmp_path / "admin"
    admin.mkdir()
    (admin / "index.html").write_text("<h1>admin</h1>")
    (admin / "404.html").write_text("<h1>missing</h1>")

    def build(fw):
        app = fw.FastAPI()

        @app.get("/api/items")
        async def items():
            return ["a"]

        def token(x_token: Annotated[str, fw.Header()]):
            if x_token != "secret":
                raise fw.HTTPException(401, "no")

        protected = fw.APIRouter(dependencies=[fw.Depends(token)])
        protected.frontend("/admin", directory=admin)
        app.include_router(protected)
        app.frontend("/", directory=dist)
        return app

    html = {"accept": "text/html"}
    compare(
        build,
        [
            ("GET", "/api/items", {}),
            ("GET", "/app.js", {}),
            ("GET", "/", {}),
            ("GET", "/some/client/route", {"headers": html}),
            ("GET", "/some/client/route", {}),
            ("GET", "/guide", {"follow_redirects": False}),
            ("GET", "/guide/", {}),
            ("HEAD", "/app.js", {}),
            ("POST", "/app.js", {}),
            ("GET", "/admin/", {"headers": {"x-token": "secret"}}),
            ("GET", "/admin/nothing", {"headers": {"x-token": "secret", **html}}),
            ("GET", "/admin/", {}),
            ("GET", "/api/other", {"headers": html}),
        ],
    )
