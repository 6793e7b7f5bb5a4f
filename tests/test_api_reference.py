"""docs/api.md documents exactly the API the schema describes (regenerate it with `make api-doc`)."""

from __future__ import annotations

import re
from pathlib import Path

from inventaire.api_reference import current_schema, operation_title

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
REGENERATE = "docs/api.md is out of date: run `make api-doc` and commit it"


def _documented() -> dict[str, set[str]]:
    """Each documented operation and the parameters its section lists."""
    sections = re.split(r"^(### `[A-Z]+ /[^`]*`)$", DOC.read_text(encoding="utf-8"), flags=re.M)
    return {title: set(re.findall(r"^\| `([^`]+)` \| (?:path|query|header|cookie) \|", body, flags=re.M))
            for title, body in zip(sections[1::2], sections[2::2], strict=True)}


def test_every_operation_of_the_schema_is_documented_and_nothing_else():
    schema = current_schema()
    expected = {operation_title(m, p): {q["name"] for q in op.get("parameters", [])}
                for p, ops in schema["paths"].items() for m, op in ops.items()}
    documented = _documented()
    assert set(documented) == set(expected), REGENERATE
    for title, params in expected.items():
        assert documented[title] == params, f"{title}: {REGENERATE}"


def test_the_readme_points_to_the_reference_and_to_nothing_outside_the_repository():
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/api.md" in readme
    assert "../" not in readme and "shared/" not in readme
