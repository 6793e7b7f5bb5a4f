"""API shapes of the connector: a sync run and its report, the connection's state, a schema check."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from inventaire.gazelle.models import GazelleSync
from inventaire.kit.enums import GazelleMode
from inventaire.kit.quantities import count
from inventaire.kit.schemas import Timestamp


class InvoiceProblem(BaseModel):
    facture: str = Field(description="Le numéro de la facture (« n° 7140 »), sinon son id Gazelle")
    erreur: str = Field(description="Pourquoi, en français")


class SyncReport(BaseModel):
    """What one run read and wrote; `summary` is the one French sentence the CLI, the page and the log print."""

    factures_lues: int = 0
    brouillons_ignores: int = 0
    services_appliques: int = 0
    services_inchanges: int = 0
    versions_anciennes: int = 0
    mouvements_ecrits: int = 0
    mouvements: list[dict[str, Any]] = Field(default_factory=list, description="Les mouvements (500 au plus)")
    lignes_sans_regle: list[dict[str, Any]] = Field(default_factory=list)
    techniciens_inconnus: list[dict[str, Any]] = Field(default_factory=list)
    manques: list[dict[str, Any]] = Field(default_factory=list)
    erreurs: list[InvoiceProblem] = Field(default_factory=list, description="Factures non déduites, avec pourquoi")
    doublons: list[str] = Field(default_factory=list, description="Factures reçues deux fois dans la même lecture")
    brouillons_deja_deduits: list[str] = Field(
        default_factory=list, description="Factures déduites repassées en brouillon : leur déduction est gardée")
    attentes_429: int = Field(0, description="Réponses 429 de Gazelle attendues (Retry-After)")
    lignes_avec_piano: int = Field(0, description="Lignes dont le piano a été enregistré (le cycle PLS)")
    sans_deduire: bool = Field(False, description="Lecture pour le cycle PLS seulement : rien n'a été déduit")
    rendez_vous: dict[str, Any] | None = Field(None, description="Les rendez-vous des jours à venir relus (rendezvous/)")

    def summary(self, *, apercu: bool = False, run_id: int | None = None) -> str:
        head = "Aperçu (rien n'a été écrit)" if apercu else (
            f"Synchronisation n° {run_id} terminée" if run_id is not None else "Synchronisation terminée")
        written = ("serait écrit", "seraient écrits") if apercu else ("écrit", "écrits")
        text = (f"{head} : {count(self.factures_lues, 'facture lue', 'factures lues')}, "
                f"{count(self.brouillons_ignores, 'brouillon ignoré', 'brouillons ignorés')}, "
                f"{count(self.services_appliques, 'appliquée')}, {count(self.services_inchanges, 'inchangée')} ; "
                f"{count(self.mouvements_ecrits, f'mouvement {written[0]}', f'mouvements {written[1]}')}")
        if self.erreurs:
            text += f" ; {count(len(self.erreurs), 'facture en erreur', 'factures en erreur')}"
        if self.sans_deduire:
            lines = count(self.lignes_avec_piano, "ligne avec un piano enregistrée", "lignes avec un piano enregistrées")
            text += f" ; rien déduit : {lines} pour le cycle PLS"
        return text + "."


class SyncRead(BaseModel):
    id: int | None = Field(description="null pour un aperçu (rien n'est enregistré)")
    statut: str = Field(description="reussie, echec, en_cours, interrompue ou apercu")
    apercu: bool
    jours: int
    declenchee_par: str
    started_at: Timestamp | None
    finished_at: Timestamp | None
    erreur: str | None
    rapport: SyncReport | None = Field(description="factures lues, mouvements écrits, lignes sans règle, "
                                                   "techniciens inconnus, manques, erreurs")


def report_of(run: GazelleSync) -> SyncReport | None:
    return SyncReport.model_validate(run.rapport) if run.rapport else None


def sync_read(run: GazelleSync) -> SyncRead:
    return SyncRead(id=run.id, statut=run.statut, apercu=False, jours=run.jours, declenchee_par=run.declenchee_par,
                    started_at=run.started_at, finished_at=run.finished_at, erreur=run.erreur, rapport=report_of(run))


class CheckRead(BaseModel):
    ok: bool
    mode: GazelleMode
    champs_manquants: list[str] = Field(description="« Type.champ » lus par le connecteur et absents de Gazelle")
    utilisateurs: int | None = Field(description="Combien d'utilisateurs Gazelle le compte voit")
    erreur: str | None = None
    verifie_le: Timestamp | None = None


class StateRead(BaseModel):
    mode: GazelleMode
    connecte: bool
    connecte_depuis: Timestamp | None
    derniere_reussite: SyncRead | None
    derniere_erreur: SyncRead | None
    verification: CheckRead | None
