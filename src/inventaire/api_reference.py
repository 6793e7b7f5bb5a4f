"""docs/api.md, written from the OpenAPI schema: `make api-doc` (tests/test_api_reference.py checks it).

The reference a user of the API reads without running the server: every operation with its
parameters, its body's fields and its answers, in the schema's words. Run it again whenever
a route, a parameter or a field changes.
"""

from __future__ import annotations

import sys

HEADER = """# API reference

Generated from the OpenAPI schema by `make api-doc` (a test fails when it no longer matches the
schema). Every route but `/health` needs `Authorization: Bearer <token>`; errors are JSON
`{"detail": ...}` with a French message. Answers common to every route and left out below:
401 (no, unknown or revoked token), 403 (the role may not), 413 (body too large), 422 (invalid
input), 503 with `Retry-After` (database unreachable or busy: nothing was written).
The live schema is `/openapi.json`, the interactive page `/docs` (both after logging in).
"""
COMMON = {"401", "403", "413", "422", "503"}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(schema: dict) -> str:
    """A field's type in a few words (`string`, `number | null`, `Product[]`)."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type(schema["allOf"][0])
    if schema.get("type") == "array":
        return _type(schema.get("items", {})) + "[]"
    if "enum" in schema:
        return " · ".join(f"`{v}`" for v in schema["enum"])
    return str(schema.get("type", "any"))


def _cell(text) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def _fields(schema: dict, components: dict) -> list[str]:
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        schema = components.get(name, {})
    props = schema.get("properties", {})
    if not props:
        return []
    required = set(schema.get("required", []))
    rows = ["| field | type | required | description |", "| --- | --- | --- | --- |"]
    for name, prop in props.items():
        rows.append(f"| `{name}` | {_cell(_type(prop))} | {'yes' if name in required else ''} | "
                    f"{_cell(prop.get('description') or prop.get('title', ''))} |")
    return rows


def operation_title(method: str, path: str) -> str:
    """The heading of one operation (what the test looks for)."""
    return f"### `{method.upper()} {path}`"


def render(schema: dict) -> str:
    """The whole reference, grouped by the schema's tags in their order of appearance."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[str]] = {}
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            tag = (op.get("tags") or ["autres"])[0]
            lines = [operation_title(method, path), ""]
            summary = op.get("description") or op.get("summary") or ""
            lines += [summary.strip(), ""] if summary else []
            params = op.get("parameters", [])
            if params:
                lines += ["| parameter | in | type | required | description |", "| --- | --- | --- | --- | --- |"]
                lines += [f"| `{p['name']}` | {p['in']} | {_cell(_type(p.get('schema', {})))} | "
                          f"{'yes' if p.get('required') else ''} | {_cell(p.get('description', ''))} |" for p in params]
                lines.append("")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                lines += [f"Body: `{_type(body)}`", ""] + _fields(body, components)
                lines.append("")
            answers = []
            for status, answer in op.get("responses", {}).items():
                if status in COMMON:
                    continue
                content = answer.get("content", {}).get("application/json", {}).get("schema")
                shape = f" → `{_cell(_type(content))}`" if content else ""
                answers.append(f"- **{status}** {_cell(answer.get('description', ''))}{shape}")
            lines += ["Answers:", "", *answers, ""]
            groups.setdefault(tag, []).extend(lines)
    out = [HEADER]
    for tag, lines in groups.items():
        out += [f"## {tag[:1].upper()}{tag[1:]}", "", *lines]
    out += ["## Shapes", "", "The bodies and answers named above, field by field.", ""]
    for name in sorted(components):
        if name in ("HTTPValidationError", "ValidationError"):
            continue
        rows = _fields({"$ref": f"#/components/schemas/{name}"}, components)
        if rows:
            out += [f"### `{name}`", "", *rows, ""]
    return "\n".join(out).rstrip() + "\n"


def current_schema() -> dict:
    """The app's schema, built without a database connection."""
    from inventaire.app import create_app
    from inventaire.kit.config import Settings

    return create_app(Settings(DATABASE_URL="sqlite://")).openapi()


def main() -> None:
    sys.stdout.write(render(current_schema()))


if __name__ == "__main__":
    main()
