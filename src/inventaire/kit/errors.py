"""Error responses, mapped once: domain errors, French validation messages, database faults."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from inventaire.kit.exceptions import DomainError
from inventaire.kit.quantities import count, quantity
from inventaire.kit.schemas import CODE_PATTERN, EMAIL_PATTERN, GAZELLE_PATTERN, INVALID, SERVICE_PATTERN

log = logging.getLogger(__name__)

# Pydantic error types → French messages; {ctx keys} are filled from the error's context.
FRENCH_MESSAGES = {
    "missing": "champ obligatoire",
    "extra_forbidden": "champ inconnu",
    "json_invalid": "JSON invalide (erreur de syntaxe vers le caractère {position})",
    "json_type": "le corps doit être un objet JSON",
    "model_attributes_type": "le corps doit être un objet JSON",
    "dict_type": "doit être un objet JSON",
    "string_type": "doit être un texte",
    "string_too_short": "trop court (au moins {min_length} caractère(s))",
    "string_too_long": "trop long (au plus {max_length} caractères)",
    "string_pattern_mismatch": "format invalide",  # never the pattern itself: see PATTERNS
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "bool_type": "doit être true ou false",
    "bool_parsing": "doit être true ou false",
    "decimal_type": "doit être un nombre",
    "decimal_parsing": "doit être un nombre",
    "decimal_max_digits": "nombre trop grand (au plus {max_digits} chiffres)",
    "decimal_max_places": "au plus {decimal_places} décimale(s)",
    "decimal_whole_digits": "nombre trop grand",
    "finite_number": "doit être un nombre fini",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "greater_than": "doit être supérieur à {gt}",
    "less_than_equal": "doit être au plus {le}",
    "less_than": "doit être inférieur à {lt}",
    "literal_error": "valeur invalide (valeurs possibles : {expected})",
    "enum": "valeur invalide (valeurs possibles : {expected})",
    "datetime_parsing": "date invalide (format ISO 8601 attendu)",
    "datetime_type": "date invalide (format ISO 8601 attendu)",
    "datetime_from_date_parsing": "date invalide (format ISO 8601 attendu)",
    "list_type": "doit être une liste",
    "string_unicode": "texte invalide (caractères Unicode incorrects)",
    "value_error": "valeur invalide",
    INVALID: "valeur invalide",  # our own validators: french_message shows their French message instead
}


_DECIMAL_REPR = re.compile(r"Decimal\('([-0-9.Ee+]+)'\)")
# What a pattern means, said to a person (a regular expression is no message).
PATTERNS = {
    CODE_PATTERN: "code invalide : « {input} » (lettres sans accent, chiffres, « . », « _ » ou « - », "
                  "40 caractères au plus, commençant par une lettre ou un chiffre ; ex. : CORD-012)",
    EMAIL_PATTERN: "adresse courriel invalide : « {input} » (ex. : allan@example.com)",
    GAZELLE_PATTERN: "identifiant Gazelle invalide : « {input} » (ex. : usr_1tuJ8dV2Q4Vh5Kb)",
    SERVICE_PATTERN: "identifiant de service invalide : « {input} » (ex. : mit_2eBOzDvunD7PHs6M)",
}
# « 2 000 caractère(s) »: the number may be grouped (a no-break space every three digits).
_COUNTED = re.compile(r"(?<![\d\u00a0])(\d{1,3}(?:\u00a0\d{3})+|\d+) ([^\s(]+)\(s\)")


def french_message(error: Mapping[str, Any]) -> str:
    """The French message of one validation error."""
    ctx = error.get("ctx", {})
    if error["type"] == INVALID:  # our own validators' messages are French already
        return str(error.get("msg") or FRENCH_MESSAGES[INVALID])
    if error["type"] not in FRENCH_MESSAGES:  # a plain ValueError, or a type not translated: the generic one
        return FRENCH_MESSAGES["value_error"]
    if error["type"] == "json_invalid":
        ctx = {"position": error["loc"][-1]}
    if error["type"] == "string_pattern_mismatch":
        known = PATTERNS.get(ctx.get("pattern", ""))
        return known.format(input=str(error.get("input", ""))[:60]) if known else FRENCH_MESSAGES[error["type"]]
    if error["type"] in ("greater_than_equal", "greater_than") and _negative(ctx):
        # A signed quantity's lower bound is −999 999 999,999: the person typed a huge number, and
        # the bound to tell them is the positive one (« −999 999 999,999 » reads as a typo).
        return f"nombre trop grand : au plus {_french_value(-_negative(ctx))} en valeur absolue"
    try:
        text = FRENCH_MESSAGES[error["type"]].format(**{k: _french_value(v) for k, v in ctx.items()})
        return _COUNTED.sub(lambda m: count(int(m[1].replace("\u00a0", "")), m[2]), text)  # « 1 caractère », « 3 décimales »
    except (KeyError, IndexError):
        return FRENCH_MESSAGES[error["type"]].split(" (")[0]


def _number(value: Any) -> Decimal | None:
    """A constraint's bound as a Decimal (FastAPI hands them over as their repr), or None."""
    if isinstance(value, str) and (number := _DECIMAL_REPR.fullmatch(value)):
        return Decimal(number.group(1))
    if isinstance(value, Decimal | float) or (isinstance(value, int) and not isinstance(value, bool)):
        return Decimal(str(value))
    return None


def _negative(ctx: Mapping[str, Any]) -> Decimal:
    """The lower bound of a ge/gt error when it is below zero (else 0: falsy)."""
    bound = _number(ctx.get("ge", ctx.get("gt")))
    return bound if bound is not None and bound < 0 else Decimal(0)


def _french_value(value: Any) -> str:
    """A context value as a French reader expects it: 2,5 rather than Decimal('2.5'), 999 999 999,999 grouped;
    "ou", not "or"."""
    number = _number(value)
    if number is not None:
        return quantity(number, grouped=True)
    return str(value).replace(" or ", " ou ")


def _field(error: dict) -> str:
    if error["type"] == "json_invalid":  # its location ends with a character position, not a field
        return "corps"
    parts = [str(p) for p in error["loc"] if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "corps"


def validation_detail(exc: RequestValidationError) -> list[dict]:
    return [
        {"loc": list(e["loc"]), "type": e["type"], "msg": f"{_field(e)} : {french_message(e)}"}
        for e in exc.errors()
    ]


HTTP_FRENCH = {
    404: "Ressource introuvable.",
    405: "Méthode non autorisée pour cette adresse.",
    413: "Requête trop volumineuse.",
}


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else exc.headers
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError):
        return JSONResponse({"detail": validation_detail(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's answer to a body it cannot decode (not UTF-8): invalid input, in French.
            return JSONResponse({"detail": "Corps de requête illisible : du JSON en UTF-8 est attendu."}, status_code=422)
        detail = exc.detail
        if exc.status_code in HTTP_FRENCH and (not isinstance(detail, str) or detail.isascii()):
            detail = HTTP_FRENCH[exc.status_code]
        if exc.status_code == 413:
            detail = f"Requête trop volumineuse (au plus {request.app.state.settings.max_body_bytes // 1000} ko)."
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    # Safety nets: validation and the services refuse these first; if one slips through,
    # the person still gets a 4xx in French rather than a 500.
    @app.exception_handler(DataError)
    async def database_refused_value(_request: Request, exc: DataError):
        log.warning("database refused a value: %s", exc.orig.__class__.__name__ if exc.orig else exc)
        return JSONResponse(
            {"detail": "Valeur refusée par la base de données (texte ou nombre hors limites)."}, status_code=422
        )

    @app.exception_handler(IntegrityError)
    async def database_conflict(_request: Request, exc: IntegrityError):
        log.warning("integrity error: %s", exc.orig.__class__.__name__ if exc.orig else exc)
        return JSONResponse(
            {"detail": "Conflit avec les données existantes (doublon ou référence manquante) : rechargez et réessayez."},
            status_code=409,
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def database_down(_request: Request, exc: DBAPIError):
        if database_unavailable(exc):
            return JSONResponse({"detail": DATABASE_UNAVAILABLE}, status_code=503, headers=RETRY_SOON)
        log.exception("database error")
        return JSONResponse({"detail": "Erreur interne de la base de données."}, status_code=500)


DATABASE_UNAVAILABLE = "Base de données momentanément indisponible : réessayez dans un instant."
RETRY_SOON = {"Retry-After": "2"}


def database_unavailable(exc: DBAPIError) -> bool:
    """Whether a database error means "unreachable or busy for now" (503), logged once here."""
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        log.warning("database unavailable: %s", exc.__class__.__name__)
        return True
    return False


class ValidationIssue(BaseModel):
    loc: list[str | int] = Field(examples=[["body", "ajustement"]])
    type: str = Field(examples=["greater_than_equal"])
    msg: str = Field(examples=["ajustement : doit être supérieur ou égal à 0"])


class ErrorResponse(BaseModel):
    """Every error: a French sentence, or (invalid input) one French message per field."""

    detail: str | list[ValidationIssue] = Field(examples=["Technicien inconnu : « Personne »."])


ERROR_DESCRIPTIONS = {
    401: "Jeton absent, invalide ou révoqué (en-tête « Authorization: Bearer <jeton> »).",
    403: "Le rôle du jeton ne permet pas cette action.",
    404: "Produit, technicien ou ressource introuvable.",
    409: "Conflit : doublon, stock insuffisant, stock changé depuis la lecture, ou vérification en cours.",
    413: "Corps de requête trop volumineux.",
    422: "Entrée invalide (un message par champ), ou clé d'idempotence déjà utilisée pour une autre requête.",
    429: "Trop d'authentifications échouées depuis cette adresse : réessayer après « Retry-After » secondes.",
    502: "Le serveur de courriel a refusé l'envoi ou ne répond pas : rien n'a changé, sauf l'erreur notée.",
    503: "Base de données momentanément indisponible : réessayer après « Retry-After » secondes.",
}


def documented(*statuses: int) -> dict:
    """OpenAPI `responses` for these error statuses, all shaped as ErrorResponse."""
    return {s: {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[s]} for s in statuses}


# Any /inventaire route may answer these: authentication, role, size limit, input, database.
EVERY_ROUTE = documented(401, 403, 413, 422, 429, 503)
NOT_FOUND = documented(404)
CONFLICT = documented(409)
BAD_GATEWAY = documented(502)
