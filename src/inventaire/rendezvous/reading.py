"""Reading the appointments of a window from Gazelle, every page, and turning each into an `Booked`.

Only `APPOINTMENT` events are client work (MEMO and PERSONAL ones are counted and left out).
Gazelle's `startOn`/`endOn` are dates, both inclusive, and its `start` is UTC: the query asks
one day more on each side and each event is kept on its local day (INVENTAIRE_TZ), so an
appointment at 19:30 in Montréal (00:30 UTC the next day) falls on the right day whichever way
Gazelle reads the dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from inventaire.gazelle import queries
from inventaire.gazelle.convert import client_name, label
from inventaire.kit.enums import AppointmentStatus

PAGE = 200
HUNDREDTHS = Decimal(100)
UNIT = Decimal("0.001")


class Runner(Protocol):
    """What reading needs of the Gazelle client: its public `query` (document, variables) → data."""

    def query(self, document: str, variables: dict | None = None) -> dict: ...


class Unreadable(ValueError):
    """An event that cannot be stored as it came (reported with its id, never guessed)."""


@dataclass
class Booked:
    """One appointment as it is stored (see rendezvous/models.py)."""

    id_externe: str
    gazelle_user: str | None
    jour: dt.date
    debut: dt.datetime
    duree_minutes: int
    statut: str
    client: str | None
    titre: str | None
    notes: str | None
    services: list[dict] = field(default_factory=list)

    @property
    def empreinte(self) -> str:
        # Not dataclasses.asdict: its deep copy took a millisecond an appointment (5 s for a 4,200 window).
        content = {f.name: getattr(self, f.name) for f in fields(self)}
        content["jour"], content["debut"] = self.jour.isoformat(), self.debut.isoformat()
        return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def window(*, today: dt.date, jours: int) -> tuple[dt.date, dt.date]:
    """The local days read: today and the `jours` days after it, both inclusive."""
    return today, today + dt.timedelta(days=jours)


def events(client: Runner, *, first: dt.date, last: dt.date) -> Iterator[dict]:
    """Every event of Gazelle from `first` to `last` (one day of margin each side), items complete."""
    filters = {"startOn": (first - dt.timedelta(days=1)).isoformat(),
               "endOn": (last + dt.timedelta(days=1)).isoformat()}
    after = None
    while True:
        data = client.query(queries.EVENTS, {"first": PAGE, "after": after, "filters": filters})
        connection = data["allEventsBatched"]
        for node in connection.get("nodes") or []:
            if node is not None:
                yield _complete(client, node)
        page = connection["pageInfo"]
        if not page["hasNextPage"]:
            return
        if not page.get("endCursor"):
            raise Unreadable("Gazelle annonce une page de rendez-vous suivante sans curseur.")
        after = page["endCursor"]


def _complete(client: Runner, event: dict) -> dict:
    """The event with all its booked items (further pages read when it has more than one)."""
    items = event.get("allServiceItems") or {"nodes": [], "pageInfo": {"hasNextPage": False}}
    nodes = [n for n in items.get("nodes") or [] if n is not None]
    page = items["pageInfo"]
    while page["hasNextPage"]:
        more = client.query(queries.MORE_EVENT_ITEMS, {"id": event["id"], "after": page["endCursor"]})
        connection = (more.get("event") or {}).get("allServiceItems")
        if connection is None:
            break  # the event vanished meanwhile: the next read will not see it either
        nodes += [n for n in connection.get("nodes") or [] if n is not None]
        page = connection["pageInfo"]
    return {**event, "items": nodes}


def _service(item: dict) -> dict:
    msl = item.get("masterServiceItem") or {}
    quantity = max(Decimal(item.get("quantity") or 0), Decimal(0)) / HUNDREDTHS
    name = (label(item.get("name")) or label(msl.get("name")) or "").strip()[:200] or None
    booked = {"id": item.get("id"), "service_id": msl.get("id"), "nom": name, "quantite": str(quantity.quantize(UNIT))}
    piano = item.get("piano")
    if isinstance(piano, dict) and isinstance(piano.get("id"), str):
        booked["piano_id"] = piano["id"]  # the PLS list's « rendez-vous prévu » (pianos/service.py)
    return booked


def to_booked(event: dict, *, tz: ZoneInfo) -> Booked:
    """The appointment to store; Unreadable when a field it needs is missing or unknown."""
    if not event.get("start"):
        raise Unreadable("rendez-vous sans heure de début")
    status = event.get("status") or AppointmentStatus.ACTIVE
    if status not in AppointmentStatus.values():
        raise Unreadable(f"statut inconnu : {status}")
    start = dt.datetime.fromisoformat(event["start"].replace("Z", "+00:00")).astimezone(dt.UTC)
    notes = (event.get("notes") or "").strip() or None
    return Booked(
        id_externe=event["id"], gazelle_user=(event.get("user") or {}).get("id"),
        jour=start.astimezone(tz).date(), debut=start, duree_minutes=max(int(event.get("duration") or 0), 0),
        statut=status, client=client_name(event), titre=((event.get("title") or "").strip()[:200] or None),
        notes=notes, services=[_service(i) for i in event["items"]],
    )
