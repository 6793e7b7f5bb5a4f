"""One sync run, shared by the CLI, the endpoint and the scheduler (job-level code: it commits).

1. Claim the run: its row "in progress" is committed at once; a second run finds it and is
   refused (409). The lock is a row rather than a transaction because the run must commit
   rotated refresh tokens while it holds the lock, which SQLite's single writer forbids
   inside an open write transaction.
2. Read every invoice of the window from Gazelle, to the last page. Nothing is written yet:
   a run that could not read Gazelle stores its error and fails, having deducted nothing.
3. Feed each invoice to the one deduction service, all in one transaction that also stores
   the report; a preview rolls that transaction back and forgets its run row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from inventaire.deductions import plan as planning
from inventaire.deductions import service as deductions
from inventaire.gazelle import convert, notify
from inventaire.gazelle.client import GazelleClient, GazelleError
from inventaire.gazelle.models import GazelleSync, SyncStatus
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow
from inventaire.kit.exceptions import Conflict
from inventaire.pianos import service as pianos
from inventaire.regles import service as regles
from inventaire.stock.routes import transaction_read
from inventaire.techniciens import service as techniciens

log = logging.getLogger(__name__)
BUSY = "Une synchronisation Gazelle est déjà en cours : réessayez dans un instant."
BATCH = 200
DETAIL_LIMIT = 500  # movements listed one by one in a report; the counts are always whole

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class Result:
    run: GazelleSync | None  # None for a preview
    rapport: dict
    apercu: bool = False
    mouvements: list = field(default_factory=list)


def claim(*, session_factory: sessionmaker[Session], settings: Settings, jours: int, by: str) -> int:
    """Store the run as in progress (committed); Conflict when another one is."""
    with session_scope(session_factory) as session:
        stale = utcnow() - dt.timedelta(minutes=settings.gazelle_lock_minutes)
        session.execute(update(GazelleSync).where(
            GazelleSync.statut == SyncStatus.EN_COURS, GazelleSync.started_at < stale,
        ).values(statut=SyncStatus.INTERROMPUE, finished_at=utcnow(),
                 erreur="Interrompue : son processus s'est arrêté avant la fin."))
        run = GazelleSync(statut=SyncStatus.EN_COURS, jours=jours, declenchee_par=by, started_at=utcnow())
        session.add(run)
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict(BUSY) from exc
        return run.id


def run_sync(
    *, session_factory: sessionmaker[Session], settings: Settings, jours: int | None = None,
    apercu: bool = False, by: str = "ligne de commande", progress: Progress | None = None,
    client: GazelleClient | None = None, sans_deduire: bool = False,
) -> Result:
    """A whole run: claim, read everything, deduct in one transaction (or preview), store the report.

    `sans_deduire`: only learn which piano each line was for (the PLS cycle, pianos/), deducting nothing:
    `inventaire gazelle sync --jours 400 --sans-deduire` reads a year of invoices once."""
    jours = jours or settings.gazelle_jours
    if client is None:
        client = GazelleClient(settings, session_factory)  # not configured: refused before anything is stored
    run_id = claim(session_factory=session_factory, settings=settings, jours=jours, by=by)
    try:
        invoices = _read(settings, session_factory, jours, progress, client)
        with session_scope(session_factory) as session:
            result = _deduct(session, settings, invoices, progress, sans_deduire)
            result.apercu = apercu
            if apercu:
                session.rollback()  # nothing of it stays: the stock, the services, the run row
                session.delete(session.get(GazelleSync, run_id))
                return result
            run = session.get_one(GazelleSync, run_id)
            run.statut, run.finished_at, run.rapport = SyncStatus.REUSSIE, utcnow(), result.rapport
            result.run = run
        return result
    except BaseException as exc:
        _failed(session_factory, settings, run_id, exc)
        raise


def _read(settings, session_factory, jours, progress, client: GazelleClient) -> list[dict]:
    since = (utcnow().astimezone(ZoneInfo(settings.tz)) - dt.timedelta(days=jours)).date()
    try:
        tick = (lambda done, total: progress("lecture", done, total)) if progress else None
        return list(client.invoices(since=since, progress=tick))
    finally:
        client.close()


def _deduct(session: Session, settings: Settings, invoices: list[dict], progress: Progress | None,
            sans_deduire: bool = False) -> Result:
    """Every invoice through the deduction service; the report of what changed."""
    rules = regles.rules_by_service(db_session=session)
    people = techniciens.by_gazelle_id(db_session=session)
    tz = ZoneInfo(settings.tz)
    counts: Counter = Counter()
    unmatched: Counter = Counter()
    names: dict[str, str | None] = {}
    unknown: Counter = Counter()
    errors, moves = [], []
    ready = [i for i in invoices if not convert.is_draft(i)]
    counts["lues"], counts["brouillons"] = len(invoices), len(invoices) - len(ready)
    for start in range(0, len(ready), BATCH):
        batch = ready[start:start + BATCH]
        stored = deductions.preload(db_session=session, source=convert.SOURCE, ids=[i["id"] for i in batch])
        for invoice in batch:
            assignee = (invoice.get("assignedTo") or {}).get("id")
            technician = people.get(assignee) if assignee else None
            try:
                entry = convert.to_service(invoice, technician=technician, tz=tz)
            except (ValidationError, KeyError, ValueError) as exc:
                errors.append({"facture": invoice.get("id"), "erreur": f"facture illisible : {str(exc)[:300]}"})
                continue
            counts["lignes_piano"] += pianos.record(db_session=session, entry=entry)  # the PLS cycle
            if sans_deduire:
                continue
            if assignee and technician is None:
                unknown[assignee] += 1
            digest = planning.fingerprint(entry=entry, technician=technician, rules=rules)
            if not deductions.needs_apply(entry=entry, stored=stored.get(entry.id_externe), digest=digest):
                counts["inchangees"] += 1
                continue
            outcome = deductions.apply(db_session=session, entry=entry, technician=technician, rules=rules)
            counts[outcome.traitement] += 1
            moves += outcome.mouvements
            for item in outcome.non_deduites:
                if item["raison"] == "sans_regle" and item["service_id"]:
                    unmatched[item["service_id"]] += 1
                    names.setdefault(item["service_id"], item["description"])
        if progress:
            progress("deduction", min(start + BATCH, len(ready)), len(ready))
    if not sans_deduire:
        moves += deductions.refill_all(db_session=session)  # receptions since the last run cover shortfalls
    shortfalls = deductions.open_shortfalls(db_session=session)
    rapport = {
        "factures_lues": counts["lues"], "brouillons_ignores": counts["brouillons"],
        "services_appliques": counts["applique"], "services_inchanges": counts["inchangees"] + counts["inchange"],
        "versions_anciennes": counts["version_ancienne"], "mouvements_ecrits": len(moves),
        "mouvements": [transaction_read(t).model_dump(mode="json") for t in moves[:DETAIL_LIMIT]],
        "lignes_sans_regle": [{"service_id": s, "description": names[s], "lignes": n}
                              for s, n in unmatched.most_common()],
        "techniciens_inconnus": [{"gazelle_id": g, "factures": n} for g, n in unknown.most_common()],
        "manques": [{"reference": d.service.reference, "technicien": d.technicien.nom,
                     "code_produit": d.produit.code_produit, "manque": str(d.manque)} for d in shortfalls],
        "erreurs": errors,
        "lignes_avec_piano": counts["lignes_piano"], "sans_deduire": sans_deduire,
    }
    return Result(run=None, rapport=rapport, mouvements=moves)


def _failed(session_factory, settings: Settings, run_id: int, exc: BaseException) -> None:
    """Store the failed run with its error (French for ours), and tell the office after repeated failures."""
    message = exc.detail if isinstance(exc, GazelleError | Conflict) else (
        f"Erreur interne pendant la synchronisation ({exc.__class__.__name__}).")
    log.error("gazelle sync %s failed: %s", run_id, message)
    with session_scope(session_factory) as session:
        run = session.get(GazelleSync, run_id)
        if run is None:
            return
        run.statut, run.finished_at, run.erreur = SyncStatus.ECHEC, utcnow(), message
        session.flush()
        notify.after_failure(db_session=session, settings=settings, run=run)


def recent(*, db_session: Session, limit: int = 20) -> list[GazelleSync]:
    """The runs, newest first."""
    return list(db_session.scalars(
        select(GazelleSync).order_by(GazelleSync.started_at.desc(), GazelleSync.id.desc()).limit(limit)))


def last_success(*, db_session: Session) -> GazelleSync | None:
    return db_session.scalar(select(GazelleSync).where(GazelleSync.statut == SyncStatus.REUSSIE)
                             .order_by(GazelleSync.started_at.desc()).limit(1))
