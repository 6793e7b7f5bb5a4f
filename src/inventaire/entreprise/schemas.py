"""API shapes of the company's name and address (the office's)."""

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter

from inventaire.fournisseurs.schemas import Phone
from inventaire.kit.schemas import PersonText, invalid
from inventaire.techniciens.schemas import Email

MAX_LINES = 4
MAX_LINE = 80  # what fits on one line of the order's PDF in its small type


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise invalid("une ligne d'adresse par élément, sans saut de ligne")
    return value


def _few_lines(lines: list[str]) -> list[str]:
    if len(lines) > MAX_LINES:
        raise invalid(f"{MAX_LINES} lignes au plus")
    return lines


CompanyName = Annotated[str, PersonText(120), Field(examples=["Pianos Tremblay inc."])]
AddressLine = Annotated[str, PersonText(MAX_LINE, refused=r"\n\r"), AfterValidator(_one_line)]
# maxItems in the schema, the French message from the validator (pydantic's own would be English-shaped).
Address = Annotated[list[AddressLine], AfterValidator(_few_lines),
                    Field(description=f"Lignes de l'adresse, dans l'ordre ({MAX_LINES} au plus)",
                          json_schema_extra={"maxItems": MAX_LINES})]
EXAMPLE: dict[str, Any] = {"nom": "Pianos Tremblay inc.", "adresse": ["1234, rue Saint-Denis", "Montréal (Québec)  H2X 3K2"],
                           "telephone": "514 555-0100", "courriel": "bureau@pianos-tremblay.example"}


class CompanyWrite(BaseModel):
    """The whole identity: a field left out (or a null phone or e-mail) is emptied; the name is required."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    nom: CompanyName
    adresse: Address = []
    telephone: Phone | None = None
    courriel: Email | None = None


class CompanyRead(BaseModel):
    nom: str
    adresse: list[str]
    telephone: str | None
    courriel: str | None
    enregistree: bool = Field(description="false : rien n'est enregistré, ce sont les valeurs par défaut des réglages "
                                          "(INVENTAIRE_ENTREPRISE, INVENTAIRE_ENTREPRISE_COORDONNEES)")


ADDRESS = TypeAdapter(Address)  # the pages check a textarea's lines with it
