# SPDX-License-Identifier: MIT
# fasterapi/openapi/docs.py: the Swagger UI and ReDoc pages
"""HTML pages for Swagger UI and ReDoc. The asset URLs default to the public CDN, as in
FastAPI; a FasterAPI application passes the URLs of its bundled copies instead (see
:mod:`fasterapi.openapi.assets`), so the pages work without internet access."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import HTMLResponse

from ..encoders import jsonable_encoder

swagger_ui_default_parameters: dict[str, Any] = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
}

_SWAGGER_JS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
_SWAGGER_CSS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
_REDOC_JS = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
_FAVICON = "https://fastapi.tiangolo.com/img/favicon.png"


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no <, > or & that HTML would read."""
    text = json.dumps(jsonable_encoder(value))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def get_swagger_ui_html(
    *,
    openapi_url: str,
    title: str,
    swagger_js_url: str = _SWAGGER_JS,
    swagger_css_url: str = _SWAGGER_CSS,
    swagger_favicon_url: str = _FAVICON,
    oauth2_redirect_url: str | None = None,
    init_oauth: dict[str, Any] | None = None,
    swagger_ui_parameters: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The Swagger UI page for the document at *openapi_url*."""
    parameters = {**swagger_ui_default_parameters, **(swagger_ui_parameters or {})}
    options = "".join(
        f"{json.dumps(key)}: {_script_json(value)},\n" for key, value in parameters.items()
    )
    oauth2 = (
        f"oauth2RedirectUrl: window.location.origin + {json.dumps(oauth2_redirect_url)},"
        if oauth2_redirect_url
        else ""
    )
    init = f"ui.initOAuth({_script_json(init_oauth)})" if init_oauth else ""
    html = f"""<!DOCTYPE html>
<html>
<head>
<link type="text/css" rel="stylesheet" href="{swagger_css_url}">
<link rel="shortcut icon" href="{swagger_favicon_url}">
<title>{title}</title>
</head>
<body>
<div id="swagger-ui">
</div>
<script src="{swagger_js_url}"></script>
<script>
const ui = SwaggerUIBundle({{
    url: {json.dumps(openapi_url)},
{options}    {oauth2}
    presets: [
        SwaggerUIBundle.presets.apis,
        SwaggerUIBundle.SwaggerUIStandalonePreset
    ],
}})
{init}
</script>
</body>
</html>
"""
    return HTMLResponse(html)


def get_redoc_html(
    *,
    openapi_url: str,
    title: str,
    redoc_js_url: str = _REDOC_JS,
    redoc_favicon_url: str = _FAVICON,
    with_google_fonts: bool = True,
) -> HTMLResponse:
    """The ReDoc page for the document at *openapi_url*."""
    fonts = (
        '<link href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|'
        'Roboto:300,400,700" rel="stylesheet">'
        if with_google_fonts
        else ""
    )
    html = f"""<!DOCTYPE html>
<html>
<head>
<title>{title}</title>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1">
{fonts}
<link rel="shortcut icon" href="{redoc_favicon_url}">
<style>
  body {{
    margin: 0;
    padding: 0;
  }}
</style>
</head>
<body>
<noscript>
    ReDoc requires Javascript to function. Please enable it to browse the documentation.
</noscript>
<redoc spec-url="{openapi_url}"></redoc>
<script src="{redoc_js_url}"> </script>
</body>
</html>
"""
    return HTMLResponse(html)


def get_swagger_ui_oauth2_redirect_html() -> HTMLResponse:
    """The page Swagger UI's OAuth2 flows redirect back to: it hands the result to the
    opener window."""
    html = """<!doctype html>
<html lang="en-US">
<head>
    <title>Swagger UI: OAuth2 Redirect</title>
</head>
<body>
<script>
    'use strict';
    function run () {
        var oauth2 = window.opener.swaggerUIRedirectOauth2;
        var sentState = oauth2.state;
        var redirectUrl = oauth2.redirectUrl;
        var isValid, qp, arr;
        if (/code|token|error/.test(window.location.hash)) {
            qp = window.location.hash.substring(1).replace('?', '&');
        } else {
            qp = location.search.substring(1);
        }
        arr = qp.split("&");
        arr.forEach(function (v,i,_arr) { _arr[i] = '"' + v.replace('=', '":"') + '"';});
        qp = qp ? JSON.parse('{' + arr.join() + '}',
                function (key, value) {
                    return key === "" ? value : decodeURIComponent(value);
                }
        ) : {};
        isValid = qp.state === sentState;
        if ((oauth2.auth.schema.get("flow") === "accessCode" ||
             oauth2.auth.schema.get("flow") === "authorizationCode" ||
             oauth2.auth.schema.get("flow") === "authorization_code") && !oauth2.auth.code) {
            if (!isValid) {
                oauth2.errCb({authId: oauth2.auth.name, source: "auth", level: "warning",
                    message: "Authorization may be unsafe, passed state was changed in server. The passed state wasn't returned from auth server."});
            }
            if (qp.code) {
                delete oauth2.state;
                oauth2.auth.code = qp.code;
                oauth2.callback({auth: oauth2.auth, redirectUrl: redirectUrl});
            } else {
                let oauthErrorMsg;
                if (qp.error) {
                    oauthErrorMsg = "["+qp.error+"]: " +
                        (qp.error_description ? qp.error_description+ ". " : "no accessCode received from the server. ") +
                        (qp.error_uri ? "More info: "+qp.error_uri : "");
                }
                oauth2.errCb({authId: oauth2.auth.name, source: "auth", level: "error",
                    message: oauthErrorMsg || "[Authorization failed]: no accessCode received from the server."});
            }
        } else {
            oauth2.callback({auth: oauth2.auth, token: qp, isValid: isValid, redirectUrl: redirectUrl});
        }
        window.close();
    }
    if (document.readyState !== 'loading') {
        run();
    } else {
        document.addEventListener('DOMContentLoaded', function () { run(); });
    }
</script>
</body>
</html>
"""
    return HTMLResponse(content=html)
