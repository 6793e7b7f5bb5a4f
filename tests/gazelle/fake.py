"""A fake Gazelle on loopback: Gazelle's schema built with graphql-core, every query validated
against it, answers from invoices held in memory, and an OAuth endpoint that rotates refresh
tokens (the old one stops working at once), as Gazelle does.

Faults are queued per request: "500" (HTTP 500), "timeout" (answer after the client gave up),
"graphql" (HTTP 200 with an `errors` list), "401" (the access token refused once).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs

from graphql import build_schema, graphql_sync, parse, validate
from pydantic import SecretStr

from tests.servers import LoopbackServer

SCHEMA = build_schema((Path(__file__).with_name("schema.graphql")).read_text())
CLIENT_ID, CLIENT_SECRET = "client-essai", "secret-du-client-essai"
USERS = [
    {"id": "usr_aS8wQ2nLk4Tz", "firstName": "Allan", "lastName": "Sutton", "email": "allan@example.com"},
    {"id": "usr_nL3pR7vXc1Md", "firstName": "Nicolas", "lastName": "Lessard", "email": "nicolas@example.com"},
    {"id": "usr_jR5tY9bHq2Wf", "firstName": "Jean-Philippe", "lastName": "Reny", "email": "jp@example.com"},
    {"id": "usr_mC6kD1sZe8Gu", "firstName": "Margot", "lastName": "Charignon", "email": "margot@example.com"},
]
MSL = [
    {"id": "mit_2eBOzDvunD7PHs6M", "name": {"fr_CA": "Entretien annuel du système PLS",
                                            "en_US": "Annual PLS maintenance"}},
    {"id": "mit_CX6CvWXbjs08vg70", "name": {"fr_CA": "Traitement de l'eau (PLS) : 227 ml"}},
    {"id": "mit_eRqZsLAzRs3ypEGC", "name": {"fr_CA": "Ensemble d'entretien Cory"}},
    {"id": "mit_MnWfmDHQLItiuK8v", "name": {"fr_CA": "Key-Brite par Cory 4 oz"}},
    {"id": "mit_fyPj2I8R4VQtEkkm", "name": {"fr_CA": "Accord 440Hz + nettoyage + entretien PLS"}},
]


def _cursor(index: int) -> str:
    return base64.b64encode(f"i:{index}".encode()).decode()


def _index(cursor: str | None) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1]) + 1 if cursor else 0


def connection(items: list, first: int | None, after: str | None) -> dict:
    """A Relay connection over a list: `first` items after the cursor."""
    start = _index(after)
    size = first if first is not None else len(items)
    page = items[start:start + size]
    return {
        "edges": [{"cursor": _cursor(start + n), "node": node} for n, node in enumerate(page)],
        "nodes": page, "totalCount": len(items),
        "pageInfo": {"hasNextPage": start + size < len(items), "hasPreviousPage": start > 0,
                     "startCursor": _cursor(start) if page else None,
                     "endCursor": _cursor(start + len(page) - 1) if page else None},
    }


class FakeGazelle(LoopbackServer):
    def __init__(self, *, token_lifetime: int = 3600):
        self.invoices: dict[str, dict] = {}
        self.users = [dict(u) for u in USERS]
        self.msl = [dict(m, description={"fr_CA": ""}, amount=0, duration=0, isArchived=False, isTuning=False,
                         masterServiceGroup={"id": "msg_1", "name": {"fr_CA": "Service"}}) for m in MSL]
        self.refresh_token = "rt-" + secrets.token_urlsafe(8)
        self.dead_refresh: set[str] = set()
        self.access: dict[str, float] = {}  # token → expiry (monotonic)
        self.token_lifetime = token_lifetime
        self.faults: deque[str] = deque()
        self.token_faults: deque[str] = deque()
        self.queries: list[dict] = []
        self.token_requests: list[dict] = []
        self.refused: list[str] = []
        self.invalid: list[list[str]] = []
        self.delay = 0.0  # seconds per GraphQL answer (for two syncs at once)
        self.timeout_sleep = 3.0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path == "/oauth/token":
                    status, body = fake._token(parse_qs(raw.decode()))
                elif self.path == "/graphql":
                    status, body = fake._graphql(self.headers.get("Authorization", ""), raw)
                else:
                    status, body = 404, {"error": "not found"}
                if status == "timeout":
                    time.sleep(fake.timeout_sleep)
                    status, body = 200, {"data": None}
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *_args):
                pass

        self._serve(Handler)

    # --- endpoints ------------------------------------------------------------------------------

    def _token(self, form: dict) -> tuple:
        fields = {k: v[0] for k, v in form.items()}
        self.token_requests.append(fields)
        if self.token_faults:
            fault = self.token_faults.popleft()
            return ("timeout", None) if fault == "timeout" else (int(fault), {"error": "server_error"})
        if (fields.get("client_id"), fields.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        with self._lock:
            if fields.get("grant_type") != "refresh_token" or fields.get("refresh_token") != self.refresh_token:
                self.refused.append(fields.get("refresh_token", ""))
                return 400, {"error": "invalid_grant"}
            self.dead_refresh.add(self.refresh_token)
            self.refresh_token = "rt-" + secrets.token_urlsafe(8)  # rotated: the old one is dead now
            access = "at-" + secrets.token_urlsafe(8)
            self.access[access] = time.monotonic() + self.token_lifetime
        return 200, {"access_token": access, "refresh_token": self.refresh_token,
                     "expires_in": self.token_lifetime, "token_type": "Bearer"}

    def _graphql(self, authorization: str, raw: bytes) -> tuple:
        token = authorization.removeprefix("Bearer ")
        if self.faults and self.faults[0] == "401":
            self.faults.popleft()
            return 401, {"error": "unauthorized"}
        if self.access.get(token, 0) < time.monotonic():
            return 401, {"error": "unauthorized"}
        request = json.loads(raw)
        document = parse(request["query"])
        problems = validate(SCHEMA, document)
        if problems:  # the project sent a query Gazelle would refuse: the tests check this list is empty
            self.invalid.append([p.message for p in problems])
            return 200, {"errors": [{"message": p.message} for p in problems], "data": None}
        self.queries.append(request)
        fault = self.faults.popleft() if self.faults else "ok"
        if fault != "ok":
            if fault == "timeout":
                return "timeout", None
            if fault == "graphql":
                return 200, {"errors": [{"message": "Internal error while resolving allInvoices"}], "data": None}
            return int(fault), {"error": "server error"}
        if self.delay:
            time.sleep(self.delay)
        result = graphql_sync(SCHEMA, request["query"], root_value=self._root(),
                              variable_values=request.get("variables"))
        if result.errors:
            self.invalid.append([e.message for e in result.errors])
            return 200, {"errors": [{"message": e.message} for e in result.errors], "data": result.data}
        return 200, {"data": result.data}

    def _root(self) -> dict:
        return {
            "allInvoices": lambda info, first=None, after=None, filters=None, sortBy=None, **_: connection(
                [self._node(i) for i in self._select(filters or {}, sortBy)], first, after),
            "invoice": lambda info, id: self._node(self.invoices[id]) if id in self.invoices else None,
            "allUsers": lambda info: self.users,
            "allMasterServiceItems": lambda info: self.msl,
        }

    def _select(self, filters: dict, sort) -> list[dict]:
        rows = list(self.invoices.values())
        if filters.get("invoiceDateGet"):
            rows = [r for r in rows if r["invoiceDate"] >= filters["invoiceDateGet"]]
        if filters.get("invoiceDateLet"):
            rows = [r for r in rows if r["invoiceDate"] <= filters["invoiceDateLet"]]
        if filters.get("status"):
            rows = [r for r in rows if r["status"] in filters["status"]]
        rows.sort(key=lambda r: (r["invoiceDate"], r["number"]), reverse=bool(sort) and "DESC" in sort[0])
        return rows

    @staticmethod
    def _node(invoice: dict) -> dict:
        items = invoice["items"]
        return {**invoice, "allInvoiceItems": lambda info, first=None, after=None, **_: connection(items, first, after)}

    # --- test helpers -----------------------------------------------------------------------------

    def add_invoice(self, number: int, *, status: str = "PAID", assignee: str | None = "usr_aS8wQ2nLk4Tz",
                    items: list[tuple] = (), date: str | None = None, client: str = "Lina Vanelli") -> dict:
        """An invoice; items are (service id or None, quantity in hundredths[, description[, item id[, piano id]]])."""
        first, _, last = client.partition(" ")
        day = date or time.strftime("%Y-%m-%d")
        invoice = {
            "id": f"inv_{number}", "number": number, "status": status, "archived": False,
            "assignedTo": next((u for u in self.users if u["id"] == assignee), None) if assignee else None,
            "createdBy": None, "client": {"id": f"cli_{number}", "companyName": None,
                                          "defaultContact": {"firstName": first, "lastName": last}},
            "invoiceDate": day, "createdAt": day + "T14:05:00Z",
            "updatedAt": "2026-01-01T00:00:00Z", "dueOn": None, "notes": None, "tags": [],
            "subTotal": 0, "taxTotal": 0, "total": 0, "items": [],
        }
        self.invoices[invoice["id"]] = invoice
        self.set_items(number, items)
        return invoice

    def set_items(self, number: int, items) -> None:
        invoice = self.invoices[f"inv_{number}"]
        invoice["items"] = [self._item(number, n, *item) for n, item in enumerate(items)]
        self.touch(number)

    def _item(self, number: int, n: int, service: str | None, quantity: int, description: str | None = None,
              item_id: str | None = None, piano: str | None = None):
        msl = next((m for m in self.msl if m["id"] == service), None) if service else None
        label = msl["name"]["fr_CA"] if msl else "Main-d'œuvre"
        return {"id": item_id or f"ini_{number}_{n}", "description": description or label,
                "type": "LABOR_FIXED_RATE", "quantity": quantity, "amount": 4500, "subTotal": 0, "taxTotal": 0,
                "total": 0, "billable": True, "taxable": True, "sequenceNumber": n, "masterServiceItem": msl,
                "piano": {"id": piano} if piano else None, "createdAt": None, "updatedAt": None}

    def set_status(self, number: int, status: str) -> None:
        self.invoices[f"inv_{number}"]["status"] = status
        self.touch(number)

    def touch(self, number: int) -> None:
        """Gazelle moves updatedAt on every edit."""
        self._clock = getattr(self, "_clock", 0) + 1
        stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=self._clock)
        self.invoices[f"inv_{number}"]["updatedAt"] = stamp.isoformat().replace("+00:00", "Z")

    def expire_access_tokens(self) -> None:
        self.access = {t: 0 for t in self.access}

    @property
    def url(self) -> str:
        return self.base_url

    def settings(self, **extra) -> dict:
        return {"gazelle_api_url": f"{self.url}/graphql", "gazelle_token_url": f"{self.url}/oauth/token",
                "gazelle_client_id": CLIENT_ID, "gazelle_client_secret": SecretStr(CLIENT_SECRET),
                "gazelle_refresh_token": SecretStr(self.refresh_token), "gazelle_backoff": 0.0, "gazelle_timeout": 15.0,
                **extra}

