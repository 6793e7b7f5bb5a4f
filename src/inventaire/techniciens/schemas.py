"""API shapes of a technician."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inventaire.schemas import Name, Printable

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    Printable,
    Field(examples=["allan@example.com"]),
]


class TechnicianCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom: Name
    email: Email | None = None
    actif: bool = True


class TechnicianUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom: Name | None = None
    email: Email | None = None
    actif: bool | None = None


class TechnicianRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    nom: str
    email: str | None
    actif: bool
