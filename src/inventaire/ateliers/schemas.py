"""API shapes of a workshop."""

from pydantic import BaseModel, ConfigDict

from inventaire.kit.schemas import Name, not_nullable


class WorkshopCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"nom": "Atelier"}]})

    nom: Name
    actif: bool = True


class WorkshopUpdate(BaseModel):
    """A new name, or the workshop deactivated (its history stays; it holds no new stock) or active again."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=not_nullable("nom", "actif"))

    nom: Name | None = None
    actif: bool | None = None


class WorkshopRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    nom: str
    actif: bool
