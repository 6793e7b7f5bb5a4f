"""API shapes of a workshop."""

from pydantic import BaseModel, ConfigDict

from inventaire.kit.schemas import Name


class WorkshopCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"nom": "Atelier"}]})

    nom: Name
    actif: bool = True


class WorkshopRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    nom: str
    actif: bool
