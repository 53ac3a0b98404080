"""Human-readable API documentation, rendered on the server from the same OpenAPI document that
``/api/v1/openapi.json`` serves (docs/decisions/0056): no JavaScript viewer, so nothing to
vendor or allow in the Content-Security-Policy, and it reads the same in every browser."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.access import public

from .openapi import document

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_label(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array" and "items" in schema:
        return f"array[{_schema_label(schema['items'])}]"
    return kind


def _operations(doc: dict) -> list[dict]:
    operations = []
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            operations.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "secured": bool(operation.get("security")),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter.get("in", ""),
                            "required": parameter.get("required", False),
                            "type": _schema_label(parameter.get("schema", {})),
                            "values": parameter.get("schema", {}).get("enum", []),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "types": [
                                f"{media} {_schema_label(body.get('schema', {}))}".strip()
                                for media, body in response.get("content", {}).items()
                            ],
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return operations


def _schemas(doc: dict) -> list[dict]:
    return [
        {
            "name": name,
            "description": schema.get("description", ""),
            "properties": [
                {
                    "name": prop_name,
                    "type": _schema_label(prop),
                    "description": prop.get("description", ""),
                    "required": prop_name in schema.get("required", []),
                }
                for prop_name, prop in schema.get("properties", {}).items()
            ],
        }
        for name, schema in doc.get("components", {}).get("schemas", {}).items()
    ]


@public
@require_safe
def api_docs(request):
    doc = document()
    return render(
        request,
        "public/api_docs.html",
        {"info": doc["info"], "operations": _operations(doc), "schemas": _schemas(doc)},
    )
