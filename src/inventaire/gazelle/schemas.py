"""API shapes of a sync run."""

from __future__ import annotations

from pydantic import BaseModel, Field

from inventaire.gazelle.models import GazelleSync
from inventaire.kit.schemas import Timestamp


class SyncRead(BaseModel):
    id: int | None = Field(description="null pour un aperçu (rien n'est enregistré)")
    statut: str = Field(description="reussie, echec, en_cours, interrompue ou apercu")
    apercu: bool
    jours: int
    declenchee_par: str
    started_at: Timestamp | None
    finished_at: Timestamp | None
    erreur: str | None
    rapport: dict | None = Field(description="factures lues, mouvements écrits, lignes sans règle, "
                                             "techniciens inconnus, manques, erreurs")


def sync_read(run: GazelleSync) -> SyncRead:
    return SyncRead(id=run.id, statut=run.statut, apercu=False, jours=run.jours, declenchee_par=run.declenchee_par,
                    started_at=run.started_at, finished_at=run.finished_at, erreur=run.erreur, rapport=run.rapport)
