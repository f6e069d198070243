"""The OpenAPI 3.1 document at GET /api/v1/openapi.json, and a readable page of it at /api/v1/docs.

Both are made from the endpoint declarations (`channels.api.endpoints`): pydantic writes the JSON
Schema (2020-12, which OpenAPI 3.1 uses as is) of every model that validates a request or shapes an
answer. The page is rendered here, from the document, so it works without any script or CDN.
"""
import base64
import hashlib
import html
import json

from aiohttp import web
from pydantic.json_schema import models_json_schema

from channels.api.endpoints import ENDPOINTS, Endpoint
from channels.api.idempotency import MAX_KEY
from channels.api.schemas import ErrorOut
from channels.web_security import page_policy

VERSION = "1.0.0"
STYLE = ("body{font-family:sans-serif;margin:2em;max-width:80em}td{vertical-align:top;padding:.3em;border-top:1px solid #ddd}"
         "pre{background:#f6f6f6;padding:.5em;overflow:auto}")
# The page's one inline style, let in by the page policy by its hash (channels.web_security).
POLICY = page_policy(("'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode() + "'",))
ERRORS = {
    400: "Malformed request: a field missing or out of range",
    401: "No valid access token: sign in or refresh",
    403: "Signed in, but not allowed to do this",
    404: "No such thing, or not yours to see",
    409: "Not possible in the current state, or changed by someone else first",
    429: "Too many requests: wait for Retry-After seconds",
}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _schemas() -> tuple[dict, dict]:
    wanted = {(ErrorOut, "serialization")}
    for each in ENDPOINTS:
        if each.body is not None:
            wanted.add((each.body, "validation"))
        if each.response is not None:
            wanted.add((each.response, "serialization"))
    refs, top = models_json_schema(sorted(wanted, key=lambda m: (m[0].__name__, m[1])),
                                   ref_template="#/components/schemas/{model}")
    return refs, top.get("$defs", {})


def _parameters(each: Endpoint) -> list[dict]:
    found = []
    for name in each.path_values:
        kind = {"type": "integer", "minimum": 1} if name.endswith("_id") else {"type": "string", "minLength": 1}
        found.append({"name": name, "in": "path", "required": True, "schema": kind})
    if each.query is not None:
        schema = each.query.model_json_schema()
        for name, field in schema.get("properties", {}).items():
            parameter = {"name": name, "in": "query", "required": name in schema.get("required", []), "schema": field}
            if "description" in field:
                parameter["description"] = field["description"]
            found.append(parameter)
    if each.idempotent:
        found.append({
            "name": "Idempotency-Key", "in": "header", "required": True,
            "description": "A key of your own for this request; a retry with it returns the first answer",
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY, "pattern": "^[\\x21-\\x7e]+$"},
        })
    return found


def _links(each: Endpoint) -> dict:
    """An answer that names an order links to what can be done with it (clients and fuzzers follow them)."""
    if each.response is None or "code" not in each.response.model_fields:
        return {}
    return {
        other.operation_id: {"operationId": other.operation_id, "parameters": {"code": "$response.body#/code"}}
        for other in ENDPOINTS
        if other.path_values == ["code"] and other is not each
    }


def _operation(each: Endpoint, refs: dict) -> dict:
    operation: dict = {"operationId": each.operation_id, "summary": each.summary, "tags": [each.tag]}
    if each.roles:
        operation["description"] = f"Who may call it: {each.roles}."
    parameters = _parameters(each)
    if parameters:
        operation["parameters"] = parameters
    if each.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[(each.body, "validation")]}}}
    elif each.text_body is not None:
        operation["requestBody"] = {"required": True, "content": {each.text_body: {"schema": {"type": "string"}}}}
    responses: dict = {}
    if each.text_response is not None:
        responses[str(each.status)] = {"description": "Done", "content": {each.text_response: {"schema": {"type": "string"}}}}
    elif each.response is not None:
        responses[str(each.status)] = {"description": "Done", "content": {"application/json": {"schema": refs[(each.response, "serialization")]}}}
        if links := _links(each):
            responses[str(each.status)]["links"] = links
    else:
        responses[str(each.status)] = {"description": "Done"}
    if each.etag:
        responses["304"] = {"description": "Not modified since the ETag sent in If-None-Match"}
    for status, description in each.extra_responses.items():
        responses[str(status)] = {"description": description}
    for status, description in ERRORS.items():
        if status == 401 and not each.auth:
            continue
        responses[str(status)] = {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
    operation["responses"] = responses
    if each.auth:
        operation["security"] = [{"bearer": []}]
    return operation


def document() -> dict:
    refs, components = _schemas()
    paths: dict = {}
    for each in ENDPOINTS:
        paths.setdefault(each.path.removeprefix("/api/v1"), {})[each.method.lower()] = _operation(each, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Chopbar API", "version": VERSION,
            "description": "Order food, pay and follow orders from apps and tools, on the same core as USSD, SMS and "
                           "WhatsApp. Sign in with a code sent by SMS; send the access token as `Authorization: Bearer`. "
                           "Errors are `{\"error\": {\"code\", \"message\"}}`.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def page(spec: dict) -> str:
    """The document as one HTML page: each operation with its parameters, body and answer."""
    rows = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            params = ", ".join(f"{p['name']} ({p['in']}{', required' if p.get('required') else ''})" for p in op.get("parameters", []))
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
            ok = next(iter(op["responses"].items()))
            answer = ok[1].get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
            rows.append(
                f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                f"<td>{html.escape(op['summary'])}<br><small>{html.escape(op.get('description', ''))}</small></td>"
                f"<td>{html.escape(params)}</td><td>{_link(body)}</td><td>{ok[0]} {_link(answer)}</td></tr>"
            )
    schemas = "".join(
        f"<h3 id='{name}'>{name}</h3><pre>{html.escape(json.dumps(schema, indent=2))}</pre>"
        for name, schema in sorted(spec["components"]["schemas"].items())
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Chopbar API</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>Chopbar API {VERSION}</h1><p>{html.escape(spec['info']['description'])}</p>"
        "<p>Machine-readable: <a href='/api/v1/openapi.json'>openapi.json</a> (OpenAPI 3.1). Base path <code>/api/v1</code>.</p>"
        "<table><tr><th>method</th><th>path</th><th>what</th><th>parameters</th><th>body</th><th>answer</th></tr>"
        + "".join(rows) + f"</table><h2>Schemas</h2>{schemas}</body></html>"
    )


def _link(ref: str) -> str:
    name = ref.rsplit("/", 1)[-1]
    return f"<a href='#{name}'>{name}</a>" if name else ""


def setup(app: web.Application) -> None:
    spec = document()
    text = json.dumps(spec, ensure_ascii=False)
    docs = page(spec)

    async def openapi_json(request: web.Request) -> web.Response:
        return web.Response(text=text, content_type="application/json")

    async def docs_page(request: web.Request) -> web.Response:
        return web.Response(text=docs, content_type="text/html", headers={"Content-Security-Policy": POLICY})

    app.router.add_get("/api/v1/openapi.json", openapi_json)
    app.router.add_get("/api/v1/docs", docs_page)
