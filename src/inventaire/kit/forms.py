"""Input typed by a person (a page's form, a spreadsheet's row) checked by the API's own Pydantic
schemas, with French messages per field."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from inventaire.kit.errors import french_message
from inventaire.kit.quantities import parse

M = TypeVar("M", bound=BaseModel)

NOT_A_NUMBER = "doit être un nombre (ex. : 12,50)"
REQUIRED = "champ obligatoire"
# A regular expression is no message for a person: say what a code may contain.
FRIENDLIER = {
    ("code_produit", "string_pattern_mismatch"):
        "lettres, chiffres, « . », « _ » ou « - » seulement, sans espace (40 au plus)",
    ("divisible", "bool_parsing"): "choisissez « Permises » ou « Refusées »",
}


def field_errors(errors: dict[str, str], labels: dict[str, str]) -> str:
    """The faulty fields of a form as one French sentence per field, with their labels."""
    return " ".join(f"{labels.get(field, field)} : {message}." for field, message in errors.items())


def validate(
    schema: type[M], data: dict[str, str], *, decimals: AbstractSet[str] = frozenset(),
    clearable: AbstractSet[str] = frozenset(), required: AbstractSet[str] = frozenset(),
) -> tuple[M | None, dict[str, str]]:
    """Validate a form: the model, or the French message of each faulty field.

    An empty field is left out (the schema's default or "champ obligatoire" applies), except a
    `clearable` one, which becomes null, and a `required` one, which is an error.
    """
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, raw in data.items():
        text = raw.strip()
        if not text:
            if name in clearable:
                values[name] = None
            elif name in required:
                errors[name] = REQUIRED
            continue
        if name in decimals:
            number = parse(text)
            if number is None:
                errors[name] = NOT_A_NUMBER
                continue
            values[name] = number
        else:
            values[name] = text
    try:
        model = schema.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "formulaire"
            message = FRIENDLIER.get((field, error["type"])) or french_message(error)
            errors.setdefault(field, message)
        return None, errors
    return (model, errors) if not errors else (None, errors)
