"""One sync run, shared by the CLI, the endpoint and the scheduler (job-level code: it commits).

1. Claim the run: its row "in progress" is committed at once; a second run finds it and is
   refused (409) unless the first one's heartbeat stopped (its process died: it is marked
   interrupted and the new run goes ahead). The lock is a row rather than a transaction because
   the run must commit rotated refresh tokens while it holds it.
2. Check Gazelle's live schema (a successful check is reused for a day), then read every
   invoice of the window, to the last page. Nothing is written yet: a run that could not read
   Gazelle stores its error and fails, having deducted nothing.
3. Deduct in batches that each commit (every invoice is idempotent), so a technician's change
   never waits long behind a large sync. Each invoice is converted and deducted on its own (a
   savepoint): a bad one is reported with its number and why, the others go on. A preview
   runs the same in one transaction and rolls it back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from inventaire.deductions import overview
from inventaire.deductions import plan as planning
from inventaire.deductions import service as deductions
from inventaire.deductions.models import DeductedService, ServiceStatus
from inventaire.gazelle import convert, notify, schema_check
from inventaire.gazelle.client import GazelleClient
from inventaire.gazelle.models import GazelleSync
from inventaire.gazelle.redact import redact
from inventaire.gazelle.schemas import InvoiceProblem, SyncReport
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow
from inventaire.kit.enums import NotDeducted, SyncStatus
from inventaire.kit.exceptions import Conflict, DomainError
from inventaire.pianos import service as pianos
from inventaire.regles import service as regles
from inventaire.stock.schemas import TransactionRead
from inventaire.tasks import rendezvous_run
from inventaire.techniciens import service as techniciens

log = logging.getLogger(__name__)
BUSY = "Une synchronisation Gazelle est déjà en cours : réessayez dans un instant."
BATCH = 25  # invoices per committed batch: a van's lines are never held for more than a moment
DETAIL_LIMIT = 500  # movements listed one by one in a report; the counts are always whole

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class Result:
    run: GazelleSync | None  # None for a preview
    rapport: SyncReport
    apercu: bool = False
    mouvements: list[dict[str, Any]] = field(default_factory=list)


def dead_after(settings: Settings) -> dt.timedelta:
    """How long without a heartbeat before a run is dead: longer than its slowest exchange can take."""
    slowest = settings.gazelle_timeout * settings.gazelle_attempts + settings.gazelle_retry_after_max
    return dt.timedelta(seconds=max(settings.gazelle_heartbeat_seconds, slowest + 30))


def claim(*, session_factory: sessionmaker[Session], settings: Settings, jours: int, by: str) -> int:
    """Store the run as in progress (committed); Conflict when a live one is."""
    with session_scope(session_factory) as session:
        now, limit = utcnow(), dead_after(settings)
        running = session.scalar(select(GazelleSync).where(GazelleSync.statut == SyncStatus.EN_COURS))
        if running is not None and (running.heartbeat_at or running.started_at) < now - limit:
            running.statut, running.finished_at = SyncStatus.INTERROMPUE, now
            running.erreur = (f"Interrompue : son processus s'est arrêté avant la fin (aucun signe de vie "
                              f"pendant {limit.total_seconds():g} s).")
            session.flush()
        elif running is not None:
            raise Conflict(_busy(running, limit))
        run = GazelleSync(statut=SyncStatus.EN_COURS, jours=jours, declenchee_par=by, started_at=now, heartbeat_at=now)
        session.add(run)
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict(BUSY) from exc
        return run.id


def _busy(running: GazelleSync, limit: dt.timedelta) -> str:
    return (f"{BUSY} (n° {running.id}, lancée par {running.declenchee_par} ; si son processus s'est arrêté, "
            f"elle sera tenue pour interrompue après {limit.total_seconds():g} s sans signe de vie.)")


def beat(session_factory: sessionmaker[Session], run_id: int) -> None:
    """The run is alive (called at every page read)."""
    with session_scope(session_factory) as session:
        run = session.get(GazelleSync, run_id)
        if run is not None:
            run.heartbeat_at = utcnow()


def run_sync(
    *, session_factory: sessionmaker[Session], settings: Settings, jours: int | None = None,
    apercu: bool = False, by: str = "ligne de commande", progress: Progress | None = None,
    client: GazelleClient | None = None, sans_deduire: bool = False,
) -> Result:
    """A whole run: claim, check the schema, read everything, deduct batch by batch (or preview), store the report.

    `sans_deduire`: only learn which piano each line was for (the PLS cycle, pianos/), deducting nothing:
    `inventaire gazelle sync --jours 400 --sans-deduire` reads a year of invoices once."""
    jours = jours or settings.gazelle_jours
    if client is None:
        client = GazelleClient(settings, session_factory)  # not configured: refused before anything is stored
    run_id = claim(session_factory=session_factory, settings=settings, jours=jours, by=by)
    client.heartbeat = lambda: beat(session_factory, run_id)
    try:
        with client:
            _check(client, session_factory)
            invoices = _read(settings, jours, progress, client)
            # The appointments of the coming days, through the same client (its key or token, its bounds).
            booked = rendezvous_run.refresh(session_factory=session_factory, settings=settings, apercu=apercu,
                                            client=client)
        invoices, doubles = convert.unique(invoices)
        result = _deduct(session_factory, settings, run_id, invoices, progress, apercu=apercu, sans_deduire=sans_deduire)
        result.rapport.doublons, result.rapport.attentes_429 = doubles, client.waits
        result.rapport.rendez_vous = booked
        result.apercu = apercu
        with session_scope(session_factory) as session:
            run = session.get_one(GazelleSync, run_id)
            if apercu:
                session.delete(run)  # nothing of a preview stays
                return result
            run.statut, run.finished_at = SyncStatus.REUSSIE, utcnow()
            run.rapport = result.rapport.model_dump(mode="json")
            result.run = run
        log.info("gazelle sync %s: %s", run_id, result.rapport.summary(run_id=run_id))
        return result
    except BaseException as exc:
        _failed(session_factory, settings, client, run_id, exc)
        raise


def _check(client: GazelleClient, session_factory: sessionmaker[Session]) -> None:
    """The day's schema check, or a new one (stored even when it fails the run)."""
    problem = schema_check.require(client=client, session_factory=session_factory)
    if problem is not None:
        raise problem


def _read(settings: Settings, jours: int, progress: Progress | None, client: GazelleClient) -> list[Any]:
    since = (utcnow().astimezone(ZoneInfo(settings.tz)) - dt.timedelta(days=jours)).date()
    tick = (lambda done, total: progress("lecture", done, total)) if progress else None
    return list(client.invoices(since=since, progress=tick))


@dataclass
class _Tally:
    counts: Counter = field(default_factory=Counter)
    unmatched: Counter = field(default_factory=Counter)
    names: dict[str, str | None] = field(default_factory=dict)
    unknown: Counter = field(default_factory=Counter)
    errors: list[InvoiceProblem] = field(default_factory=list)
    drafts_deducted: list[str] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)
    sans_deduire: bool = False  # only learn each line's piano (the PLS cycle), deduct nothing


def _deduct(factory: sessionmaker[Session], settings: Settings, run_id: int, invoices: list[Any],
            progress: Progress | None, *, apercu: bool, sans_deduire: bool = False) -> Result:
    """Every invoice through the deduction service, batch after batch; the report of what changed."""
    tally = _Tally(sans_deduire=sans_deduire)
    tally.counts["lues"] = len(invoices)
    preview = factory() if apercu else None  # a preview's one transaction, rolled back at the end
    try:
        for start in range(0, len(invoices), BATCH):
            batch = invoices[start:start + BATCH]
            if preview is not None:
                _batch(preview, settings, batch, tally)
            else:
                with session_scope(factory) as session:
                    _batch(session, settings, batch, tally)
                    session.get_one(GazelleSync, run_id).heartbeat_at = utcnow()
            if progress:
                progress("deduction", min(start + BATCH, len(invoices)), len(invoices))
        if preview is not None:
            return _finish(preview, tally)
        with session_scope(factory) as session:
            return _finish(session, tally)
    finally:
        if preview is not None:
            preview.rollback()
            preview.close()


def _batch(session: Session, settings: Settings, batch: list[Any], tally: _Tally) -> None:
    rules = regles.rules_by_service(db_session=session)
    people = techniciens.by_gazelle_id(db_session=session)
    ids = [i["id"] for i in batch if isinstance(i, dict) and isinstance(i.get("id"), str)]
    stored = deductions.preload(db_session=session, source=convert.SOURCE, ids=ids)
    tz = ZoneInfo(settings.tz)
    for invoice in batch:
        name = convert.name_of(invoice)
        if isinstance(invoice, dict) and convert.is_draft(invoice):
            tally.counts["brouillons"] += 1
            if _deducted(stored.get(invoice.get("id") or "")):
                tally.drafts_deducted.append(name)
            continue
        try:
            assignee = convert.assignee(invoice) if isinstance(invoice, dict) else None
            technician = people.get(assignee) if assignee else None
            entry = convert.to_service(invoice, technician=technician, tz=tz)
        except convert.BadInvoice as exc:
            kept = isinstance(invoice, dict) and _deducted(stored.get(str(invoice.get("id"))))
            tally.errors.append(InvoiceProblem(facture=name, erreur=str(exc) + (
                " (sa déduction déjà faite est gardée)" if kept else "")))
            continue
        tally.counts["lignes_piano"] += pianos.record(db_session=session, entry=entry)  # the PLS cycle
        if tally.sans_deduire:
            continue
        if assignee and technician is None:
            tally.unknown[assignee] += 1
        digest = planning.fingerprint(entry=entry, technician=technician, rules=rules)
        if not deductions.needs_apply(entry=entry, stored=stored.get(entry.id_externe), digest=digest):
            tally.counts["inchangees"] += 1
            continue
        try:
            with session.begin_nested():
                outcome = deductions.apply(db_session=session, entry=entry, technician=technician, rules=rules,
                                           digest=digest)  # computed once per invoice
        except DomainError as exc:
            tally.errors.append(InvoiceProblem(facture=name, erreur=redact(exc.detail)))
            continue
        tally.counts[outcome.traitement] += 1
        tally.moves += [TransactionRead.of(t).model_dump(mode="json") for t in outcome.mouvements]
        for item in outcome.non_deduites:
            if item["raison"] == NotDeducted.SANS_REGLE and item["service_id"]:
                tally.unmatched[item["service_id"]] += 1
                tally.names.setdefault(item["service_id"], item["description"])


def _deducted(service: DeductedService | None) -> bool:
    return service is not None and service.statut == ServiceStatus.ACTIF


def _finish(session: Session, tally: _Tally) -> Result:
    refilled = [] if tally.sans_deduire else deductions.refill_all(db_session=session)  # receptions cover shortfalls
    moves = tally.moves + [TransactionRead.of(t).model_dump(mode="json") for t in refilled]
    shortfalls = overview.open_shortfalls(db_session=session)
    c = tally.counts
    rapport = SyncReport(
        factures_lues=c["lues"], brouillons_ignores=c["brouillons"], services_appliques=c["applique"],
        services_inchanges=c["inchangees"] + c["inchange"], versions_anciennes=c["version_ancienne"],
        mouvements_ecrits=len(moves), mouvements=moves[:DETAIL_LIMIT],
        lignes_sans_regle=[{"service_id": s, "description": tally.names[s], "lignes": n}
                           for s, n in tally.unmatched.most_common()],
        techniciens_inconnus=[{"gazelle_id": g, "factures": n} for g, n in tally.unknown.most_common()],
        manques=[{"reference": d.service.reference, "technicien": d.technicien.nom,
                  "code_produit": d.produit.code_produit, "manque": str(d.manque)} for d in shortfalls],
        erreurs=tally.errors, brouillons_deja_deduits=tally.drafts_deducted,
        lignes_avec_piano=c["lignes_piano"], sans_deduire=tally.sans_deduire,
    )
    return Result(run=None, rapport=rapport, mouvements=moves)


def _failed(session_factory: sessionmaker[Session], settings: Settings, client: GazelleClient, run_id: int,
            exc: BaseException) -> None:
    """Store the failed run with its error (French, redacted), and tell the office after repeated failures."""
    message = redact(exc.detail, client.secrets()) if isinstance(exc, DomainError) else (
        f"Erreur interne pendant la synchronisation ({exc.__class__.__name__}).")
    log.error("gazelle sync %s failed: %s", run_id, message)
    with session_scope(session_factory) as session:
        run = session.get(GazelleSync, run_id)
        if run is None:
            return
        run.statut, run.finished_at, run.erreur = SyncStatus.ECHEC, utcnow(), message
        session.flush()
        notify.after_failure(db_session=session, settings=settings, run=run)
