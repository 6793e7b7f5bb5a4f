"""The connector's errors: French, safe to show (Gazelle's own text is redacted before it gets here)."""

from __future__ import annotations

from inventaire.kit.exceptions import DomainError


class GazelleError(DomainError):
    """Gazelle could not be read (or refused us): the run fails, nothing is written."""

    status_code = 502


class NotConfigured(GazelleError):
    """Neither an API key nor an OAuth application is set: a setting to fix here, not Gazelle's fault."""

    status_code = 409


class SchemaDrift(GazelleError):
    """Gazelle's live schema lacks a field the connector reads: the run fails naming it."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        fields = ", ".join(f"« {m} »" for m in missing)
        what = f"le champ {fields} n'existe plus" if len(missing) == 1 else f"les champs {fields} n'existent plus"
        super().__init__(f"Gazelle a changé son schéma : {what}. Rien n'a été écrit ; le connecteur doit être mis "
                         "à jour.")
