"""API shapes of a technician."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inventaire.kit.schemas import (
    CONTROL_CLASS,
    EMAIL_PATTERN,
    GAZELLE_PATTERN,
    TRIMMED,
    WHITESPACE,
    Name,
    Printable,
    not_nullable,
)

# The validated pattern, as the schema shows it: surrounding spaces are trimmed, control characters refused.
_PART = rf"[^@{WHITESPACE}{CONTROL_CLASS}]+"
EMAIL_SCHEMA_PATTERN = rf"^{TRIMMED}*{_PART}@{_PART}\.{_PART}{TRIMMED}*$"

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL_PATTERN),
    Printable,
    Field(examples=["allan@example.com"], json_schema_extra={"pattern": EMAIL_SCHEMA_PATTERN}),
]


GazelleId = Annotated[
    str, StringConstraints(pattern=GAZELLE_PATTERN),
    Field(description="Utilisateur Gazelle (usr_…) dont les factures sont le travail de ce technicien",
          examples=["usr_1tuJ8dV2Q4Vh5Kb"]),
]


class TechnicianCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom: Name
    email: Email | None = None
    actif: bool = True
    gazelle_id: GazelleId | None = None


class TechnicianUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=not_nullable("nom", "actif"))

    nom: Name | None = None
    email: Email | None = None
    actif: bool | None = None
    gazelle_id: GazelleId | None = None


class TechnicianRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    nom: str
    email: str | None
    actif: bool
    gazelle_id: str | None
