"""Transactions: the ledger with filters and paging, and the same rows as a streamed CSV file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from inventaire.catalogue import service as catalogue
from inventaire.deps import SessionDep, SettingsDep
from inventaire.emplacements import service as locations
from inventaire.exports.spreadsheet import BOM, amount, cell, file_name, moment, number
from inventaire.kit.dates import Clock, in_range
from inventaire.kit.enums import MovementCause, TransactionType
from inventaire.kit.exceptions import InvalidInput
from inventaire.stock import ledger
from inventaire.stock.models import Transaction
from inventaire.techniciens import service as techniciens
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 50
BATCH = 500
CSV_HEADERS = ["Date", "Technicien", "Code produit", "Produit", "Type", "Variation", "Quantité avant",
               "Quantité après", "Unité", "Motif", "Référence", "Auteur", "Coût unitaire actuel",
               "Valeur de la variation", "Cause", "N° de la cause", "N° de transaction"]


@dataclass
class Filters:
    """The filters as typed in the form (empty fields are no filter)."""

    technicien: str = ""
    code_produit: str = ""
    type: str = ""
    depuis: str = ""
    jusqu_a: str = ""


def filters(
    technicien: Annotated[str, Query(max_length=60)] = "",
    code_produit: Annotated[str, Query(max_length=40)] = "",
    type: Annotated[str, Query(max_length=20)] = "",
    depuis: Annotated[str, Query(max_length=10)] = "",
    jusqu_a: Annotated[str, Query(max_length=10)] = "",
) -> Filters:
    return Filters(technicien.strip(), code_produit.strip(), type.strip(), depuis.strip(), jusqu_a.strip())


FiltersDep = Annotated[Filters, Depends(filters)]


REVERSED = ("Période inversée : la date de début (« Depuis ») est après la date de fin (« Jusqu'au ») ; "
            "échangez-les.")


def _day(text: str, label: str, zone: ZoneInfo, end: bool) -> dt.datetime | None:
    """A day of the form (AAAA-MM-JJ) as the first or last instant of that day in the company's time."""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{label} : date invalide « {text} » (format AAAA-MM-JJ).") from None
    try:
        in_range(day)
    except ValueError as exc:
        raise InvalidInput(f"{label} : {exc} (« {text} »).") from None
    start = dt.datetime.combine(day, dt.time(), zone)
    return start + dt.timedelta(days=1, microseconds=-1) if end else start


def ledger_filter(db_session: Session, flt: Filters, zone: ZoneInfo) -> ledger.LedgerFilter:
    """The service's filter for the form's fields (unknown names and codes are 404s)."""
    if flt.type and flt.type not in TransactionType.values():
        raise InvalidInput(f"Type de mouvement inconnu : « {flt.type} ».")
    result = ledger.LedgerFilter(
        type=flt.type or None, depuis=_day(flt.depuis, "Depuis", zone, end=False),
        jusqu_a=_day(flt.jusqu_a, "Jusqu'au", zone, end=True),
    )
    if result.depuis and result.jusqu_a and result.depuis > result.jusqu_a:
        # A reversed period would silently list nothing: say so (the API answers an empty page).
        raise InvalidInput(REVERSED)
    if flt.technicien:
        result.emplacement_id = locations.get_or_404(db_session=db_session, nom=flt.technicien).id
    if flt.code_produit:
        result.produit_id = catalogue.get_or_404(db_session=db_session, code_produit=flt.code_produit).id
    return result


@router.get("/transactions")
def ledger_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                flt: FiltersDep, page: int = Query(1, ge=1, le=200_000)) -> Response:
    try:
        service_filter = ledger_filter(db_session, flt, ZoneInfo(settings.tz))
    except InvalidInput as exc:  # the filters stay as typed, the reason above them
        return render(request, "transactions.html", 422, viewer=viewer, nav="transactions", lignes=[], total=0,
                      page=1, pages=1, filtres=flt, types=TransactionType.labels(), erreur=exc.detail,
                      techniciens=techniciens.list_technicians(db_session=db_session))
    rows, total = ledger.list_transactions(
        db_session=db_session, flt=service_filter, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return render(
        request, "transactions.html", viewer=viewer, nav="transactions", lignes=rows, total=total, page=page,
        pages=max(1, -(-total // PAGE_SIZE)), filtres=flt, types=TransactionType.labels(), erreur=None,
        techniciens=techniciens.list_technicians(db_session=db_session),
    )


def csv_row(t: Transaction, tz: str) -> list[str]:
    """One ledger row as a spreadsheet reads it: a date it recognises, decimal commas, money in cents.

    The ledger keeps no price, so the value is the change at today's unit cost (the header says so).
    """
    price = t.produit.prix_unitaire
    return [
        moment(t.created_at, tz), cell(t.emplacement.nom), cell(t.produit.code_produit),
        cell(t.produit.nom_produit), TransactionType.label_of(t.type), number(t.ajustement),
        number(t.quantite_avant), number(t.quantite_apres), cell(t.produit.unite),
        cell(t.motif), cell(t.reference), cell(t.auteur), amount(price), amount(t.ajustement * price),
        MovementCause.label_of(t.cause) if t.cause else "", str(t.cause_id or ""), str(t.id),
    ]


def csv_lines(factory: sessionmaker[Session], flt: ledger.LedgerFilter, tz: str) -> Iterator[str]:
    """The CSV, a batch at a time, each batch in its own short session (no lock held while sending)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    yield BOM + buffer.getvalue()  # the BOM lets spreadsheets read UTF-8 accents
    before = None
    while True:
        buffer.seek(0)
        buffer.truncate()
        with factory() as session:
            batch = ledger.transactions_before(db_session=session, flt=flt, before=before, limit=BATCH)
            writer.writerows(csv_row(t, tz) for t in batch)
        if not batch:
            return
        yield buffer.getvalue()
        before = (batch[-1].created_at, batch[-1].id)


@router.get("/transactions.csv")
def ledger_csv(request: Request, db_session: SessionDep, settings: SettingsDep, _: AdminPage, flt: FiltersDep) -> Response:
    service_filter = ledger_filter(db_session, flt, ZoneInfo(settings.tz))
    return StreamingResponse(
        csv_lines(request.app.state.sessionmaker, service_filter, settings.tz),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{csv_name(flt, Clock(settings.tz))}"'},
    )


def csv_name(flt: Filters, clock: Clock) -> str:
    """The file says what it holds: transactions-Allan-CORD-012-utilisation-du-2025-01-01-au-2025-01-31.csv.

    Without a period the export's day is the end (« au »), so two downloads of different days differ.
    """
    period = [f"du-{flt.depuis}" if flt.depuis else "",
              f"au-{flt.jusqu_a or clock.local(dt.datetime.now(dt.UTC)).date().isoformat()}"]
    return file_name("transactions", flt.technicien, flt.code_produit, flt.type, *period)
