# SPDX-License-Identifier: MIT
"""Security schemes, forms and files, side by side."""

import base64
from typing import Annotated


def test_security_schemes(compare):
    def build(fw):
        app = fw.FastAPI()
        sec = fw.security
        oauth2 = sec.OAuth2PasswordBearer(tokenUrl="token", scopes={"items": "Read items."})
        basic = sec.HTTPBasic(realm="shop")
        bearer = sec.HTTPBearer(auto_error=False)
        key_header = sec.APIKeyHeader(name="X-Key", description="The key")
        key_query = sec.APIKeyQuery(name="key", auto_error=False)
        key_cookie = sec.APIKeyCookie(name="session")
        digest = sec.HTTPDigest()
        openid = sec.OpenIdConnect(openIdConnectUrl="https://example.com/.well-known")
        code = sec.OAuth2AuthorizationCodeBearer(authorizationUrl="auth", tokenUrl="token")

        async def current_user(
            scopes: sec.SecurityScopes, token: Annotated[str, fw.Depends(oauth2)]
        ):
            return {"token": token, "scopes": scopes.scopes}

        @app.post("/token")
        async def login(form: Annotated[sec.OAuth2PasswordRequestForm, fw.Depends()]):
            return {"access_token": form.username, "scopes": form.scopes}

        @app.get("/me")
        async def me(user: Annotated[dict, fw.Security(current_user, scopes=["items"])]):
            return user

        @app.get("/basic")
        def basic_auth(credentials: Annotated[sec.HTTPBasicCredentials, fw.Depends(basic)]):
            return {"user": credentials.username, "password": credentials.password}

        @app.get("/bearer")
        def bearer_auth(
            credentials: Annotated[sec.HTTPAuthorizationCredentials | None, fw.Depends(bearer)],
        ):
            return {"credentials": credentials.credentials if credentials else None}

        @app.get("/keys")
        def keys(
            header: Annotated[str, fw.Depends(key_header)],
            query: Annotated[str | None, fw.Depends(key_query)],
            cookie: Annotated[str, fw.Depends(key_cookie)],
        ):
            return [header, query, cookie]

        @app.get("/others", dependencies=[fw.Depends(digest), fw.Depends(openid), fw.Depends(code)])
        def others():
            return "ok"

        return app

    good_basic = "Basic " + base64.b64encode(b"ann:secret").decode()
    compare(
        build,
        [
            (
                "POST",
                "/token",
                {"data": {"username": "ann", "password": "pw", "scope": "items me"}},
            ),
            ("POST", "/token", {"data": {"username": "ann"}}),
            ("POST", "/token", {"data": {"username": "ann", "password": "pw", "grant_type": "x"}}),
            ("GET", "/me", {"headers": {"Authorization": "Bearer abc"}}),
            ("GET", "/me", {}),
            ("GET", "/me", {"headers": {"Authorization": "Basic abc"}}),
            ("GET", "/basic", {"headers": {"Authorization": good_basic}}),
            ("GET", "/basic", {"headers": {"Authorization": "Basic !!!"}}),
            ("GET", "/basic", {}),
            ("GET", "/bearer", {"headers": {"Authorization": "Bearer t"}}),
            ("GET", "/bearer", {}),
            ("GET", "/keys?key=q", {"headers": {"X-Key": "h", "cookie": "session=c"}}),
            ("GET", "/keys", {"headers": {"X-Key": "h"}}),
            ("GET", "/others", {"headers": {"Authorization": "Digest x"}}),
        ],
    )


def test_forms_and_files(compare):
    def build(fw):
        app = fw.FastAPI()

        @app.post("/login")
        async def login(
            username: Annotated[str, fw.Form()], remember: Annotated[bool, fw.Form()] = False
        ):
            return {"username": username, "remember": remember}

        @app.post("/upload")
        async def upload(
            file: Annotated[bytes, fw.File()],
            doc: fw.UploadFile,
            note: Annotated[str | None, fw.Form()] = None,
        ):
            return {
                "size": len(file),
                "name": doc.filename,
                "type": doc.content_type,
                "content": (await doc.read()).decode(),
                "note": note,
            }

        @app.post("/many")
        async def many(files: list[fw.UploadFile]):
            return [f.filename for f in files]

        return app

    compare(
        build,
        [
            ("POST", "/login", {"data": {"username": "ann", "remember": "true"}}),
            ("POST", "/login", {"data": {"remember": "maybe"}}),
            ("POST", "/login", {}),
            (
                "POST",
                "/upload",
                {
                    "files": {
                        "file": ("a.bin", b"12345"),
                        "doc": ("d.txt", b"hello", "text/plain"),
                    },
                    "data": {"note": "hi"},
                },
            ),
            ("POST", "/upload", {"files": {"doc": ("d.txt", b"hello", "text/plain")}}),
            ("POST", "/many", {"files": [("files", ("a.txt", b"a")), ("files", ("b.txt", b"b"))]}),
            ("POST", "/many", {}),
        ],
    )
