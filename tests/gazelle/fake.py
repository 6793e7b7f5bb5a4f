"""A fake Gazelle on loopback: Gazelle's schema built with graphql-core, every query validated
against it, answers from invoices held in memory, and an OAuth endpoint that rotates refresh
tokens (the old one stops working at once), as Gazelle does.

Faults are queued per request: "500" (HTTP 500), "timeout" (answer after the client gave up),
"graphql" (HTTP 200 with an `errors` list), "401" (the access token refused once), "429" (with
`Retry-After: retry_after`), "trickle" (the answer sent a byte at a time, `trickle_pause` apart),
or a dict: sent as the JSON answer as it is (a hostile or broken Gazelle).

Both ways in: with `api_key` set, GraphQL takes only `x-gazelle-api-key` (a bearer token is
refused), else only a bearer token (a key is refused). `/oauth/authorize` redirects to the
`redirect_uri` with a code and the `state`, as if an administrator approved; the token endpoint
exchanges such a code once. `drop=("Type", "field")` serves a schema without that field (drift).
Introspection is answered by graphql-core from the built schema.
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
from urllib.parse import parse_qs, urlencode, urlsplit

from graphql import build_schema, graphql_sync, parse, validate
from pydantic import SecretStr

from tests.servers import LoopbackServer

SDL = (Path(__file__).with_name("schema.graphql")).read_text()
SCHEMA = build_schema(SDL)


def drifted(type_name: str, field_name: str):
    """Gazelle's schema without one field of one type (its private schema changes without notice)."""
    lines, inside, kept = SDL.splitlines(), False, []
    for line in lines:
        if line.startswith(f"type {type_name} ") or line.startswith(f"type {type_name}{{"):
            inside = True
        elif inside and line.startswith("}"):
            inside = False
        if inside and line.strip().startswith(f"{field_name}(") or inside and line.strip().startswith(f"{field_name}:"):
            continue
        kept.append(line)
    assert len(kept) == len(lines) - 1, f"{type_name}.{field_name} not found once in the schema"
    return build_schema("\n".join(kept))
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
    def __init__(self, *, token_lifetime: int = 3600, api_key: str | None = None,
                 drop: tuple[str, str] | None = None, host: str = "127.0.0.1"):
        self.schema = drifted(*drop) if drop else SCHEMA
        self.api_key = api_key
        self.host = host  # "localhost" makes the authorization page another site than the service's 127.0.0.1
        self.codes: dict[str, str] = {}  # code → redirect_uri, usable once
        self.authorizations: list[dict] = []
        self.token_delay = 0.0  # seconds the token endpoint takes (two processes refreshing at once)
        self.token_answer: dict | None = None  # sent once instead of a well-formed token answer (rotating all the same)
        self.retry_after = "1"
        self.trickle_pause = 0.2
        self.auth_seen: list[dict[str, str]] = []  # the authentication headers of each GraphQL request
        self.invoices: dict[str, dict] = {}
        self.events: dict[str, dict] = {}
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
            def do_GET(self):
                url = urlsplit(self.path)
                if url.path != "/oauth/authorize":
                    return self._answer(404, {"error": "not found"})
                target = fake._authorize({k: v[0] for k, v in parse_qs(url.query).items()})
                if target is None:
                    return self._answer(400, {"error": "invalid_request"})
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                headers = {"authorization": self.headers.get("Authorization", ""),
                           "key": self.headers.get("x-gazelle-api-key", "")}
                if self.path == "/oauth/token":
                    status, body = fake._token(parse_qs(raw.decode()))
                elif self.path == "/graphql":
                    status, body = fake._graphql(headers, raw)
                else:
                    status, body = 404, {"error": "not found"}
                if status == "timeout":
                    time.sleep(fake.timeout_sleep)
                    status, body = 200, {"data": None}
                self._answer(status, body)

            def _answer(self, status, body):
                trickle = status == "trickle"
                if trickle:
                    status = 200
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", fake.retry_after)
                    self.end_headers()
                    if not trickle:
                        self.wfile.write(data)
                        return
                    for n in range(0, len(data), 4):
                        self.wfile.write(data[n:n + 4])
                        self.wfile.flush()
                        time.sleep(fake.trickle_pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *_args):
                pass

        self._serve(Handler)

    # --- endpoints ------------------------------------------------------------------------------

    def _authorize(self, query: dict) -> str | None:
        """An administrator approved: back to the redirect URI with a one-time code and the state."""
        self.authorizations.append(query)
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code" or not query.get("redirect_uri"):
            return None
        code = "code-" + secrets.token_urlsafe(8)
        self.codes[code] = query["redirect_uri"]
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def _token(self, form: dict) -> tuple:
        fields = {k: v[0] for k, v in form.items()}
        self.token_requests.append(fields)
        if self.token_delay:
            time.sleep(self.token_delay)
        if self.token_faults:
            fault = self.token_faults.popleft()
            return ("timeout", None) if fault == "timeout" else (int(fault), {"error": "server_error"})
        if (fields.get("client_id"), fields.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        with self._lock:
            if fields.get("grant_type") == "authorization_code":
                if self.codes.pop(fields.get("code", ""), None) != fields.get("redirect_uri"):
                    return 400, {"error": "invalid_grant"}
            elif fields.get("grant_type") != "refresh_token" or fields.get("refresh_token") != self.refresh_token:
                self.refused.append(fields.get("refresh_token", ""))
                return 400, {"error": "invalid_grant"}
            self.dead_refresh.add(self.refresh_token)
            self.refresh_token = "rt-" + secrets.token_urlsafe(8)  # rotated: the old one is dead now
            access = "at-" + secrets.token_urlsafe(8)
            self.access[access] = time.monotonic() + self.token_lifetime
            if self.token_answer is not None:
                answer, self.token_answer = self.token_answer, None
                return 200, {**answer, "refresh_token": answer.get("refresh_token", self.refresh_token)}
        return 200, {"access_token": access, "refresh_token": self.refresh_token,
                     "expires_in": self.token_lifetime, "token_type": "Bearer"}

    def _allowed(self, headers: dict[str, str]) -> bool:
        if self.api_key is not None:  # a deployment on a key: a bearer token is not Gazelle's way then
            return headers["key"] == self.api_key and not headers["authorization"]
        token = headers["authorization"].removeprefix("Bearer ")
        return not headers["key"] and self.access.get(token, 0) >= time.monotonic()

    def _graphql(self, headers: dict[str, str], raw: bytes) -> tuple:
        self.auth_seen.append(headers)
        if self.faults and self.faults[0] == "401":
            self.faults.popleft()
            return 401, {"error": "unauthorized"}
        if not self._allowed(headers):
            return 401, {"error": "unauthorized"}
        request = json.loads(raw)
        document = parse(request["query"])
        problems = validate(self.schema, document)
        if problems:  # the project sent a query Gazelle would refuse: the tests check this list is empty
            self.invalid.append([p.message for p in problems])
            return 200, {"errors": [{"message": p.message} for p in problems], "data": None}
        self.queries.append(request)
        fault = self.faults.popleft() if self.faults else "ok"
        if isinstance(fault, dict | list):
            return 200, fault
        if fault == "trickle":
            return "trickle", self._run(request)[1]
        if fault != "ok":
            if fault in ("timeout", "429"):
                return ("timeout", None) if fault == "timeout" else (429, {"error": "rate limited"})
            if fault == "graphql":
                return 200, {"errors": [{"message": "Internal error while resolving allInvoices"}], "data": None}
            return int(fault), {"error": "server error"}
        if self.delay:
            time.sleep(self.delay)
        return self._run(request)

    def _run(self, request: dict) -> tuple:
        result = graphql_sync(self.schema, request["query"], root_value=self._root(),
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
            "allEventsBatched": lambda info, first=None, after=None, filters=None, sortBy=None, **_: connection(
                [self._event_node(e) for e in self._select_events(filters or {})], first, after),
            "event": lambda info, id: self._event_node(self.events[id]) if id in self.events else None,
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

    def _select_events(self, filters: dict) -> list[dict]:
        """Gazelle's inclusive dates, on the start's UTC day (the client asks a day of margin)."""
        rows = [e for e in self.events.values()
                if filters.get("startOn", "0000") <= e["start"][:10] <= filters.get("endOn", "9999")]
        for key in ("type", "status"):
            if filters.get(key):
                rows = [e for e in rows if e[key] in filters[key]]
        return sorted(rows, key=lambda e: (e["start"], e["id"]))

    @staticmethod
    def _event_node(event: dict) -> dict:
        items = event["items"]
        return {**event, "allServiceItems": lambda info, first=None, after=None, **_: connection(items, first, after),
                "allEventPianos": lambda info, first=None, after=None, **_: connection([], first, after)}

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

    def add_event(self, event_id: str, *, start: str, user: str | None = "usr_aS8wQ2nLk4Tz", kind: str = "APPOINTMENT",
                  status: str = "ACTIVE", items: list[tuple] = (), notes: str | None = None,
                  client: str | None = "Lina Vanelli", duration: int = 90) -> dict:
        """An event starting at `start` (UTC, "2026-12-08T14:00:00Z"); items are (service id or None,
        quantity in hundredths[, name[, piano id]])."""
        first, _, last = (client or "").partition(" ")
        event = {
            "id": event_id, "title": client, "start": start, "duration": duration, "isAllDay": False,
            "type": kind, "status": status, "notes": notes, "createdAt": None, "updatedAt": None,
            "user": next((u for u in self.users if u["id"] == user), {"id": user, "firstName": "?", "lastName": "?",
                                                                       "email": ""}) if user else None,
            "client": {"id": f"cli_{event_id}", "companyName": None,
                       "defaultContact": {"firstName": first, "lastName": last}} if client else None,
            "items": [],
        }
        self.events[event_id] = event
        self.set_event_items(event_id, items)
        return event

    def set_event_items(self, event_id: str, items) -> None:
        event = self.events[event_id]
        event["items"] = [self._event_item(event_id, n, *item) for n, item in enumerate(items)]

    def _event_item(self, event_id: str, n: int, service: str | None, quantity: int, name: str | None = None,
                    piano: str | None = None):
        msl = next((m for m in self.msl if m["id"] == service), None) if service else None
        if service and msl is None:  # an MSL item the fake does not list: Gazelle still links it
            msl = {"id": service, "name": {"fr_CA": name or service}}
        label = name or (msl["name"]["fr_CA"] if msl else "Déplacement")
        return {"id": f"esi_{event_id}_{n}", "name": {"fr_CA": label}, "amount": 0, "quantity": quantity,
                "duration": 0, "type": "LABOR_FIXED_RATE", "isTaxable": True, "isTuning": False,
                "masterServiceItem": msl, "piano": {"id": piano} if piano else None}

    def expire_access_tokens(self) -> None:
        self.access = {t: 0 for t in self.access}

    @property
    def url(self) -> str:
        return self.base_url

    @property
    def public_url(self) -> str:
        """The address a browser uses (`host` may make it another site than the service)."""
        return f"http://{self.host}:{self._server.server_address[1]}"

    def key_settings(self, key: str, **extra) -> dict:
        """A deployment on an API key only."""
        return {"gazelle_api_url": f"{self.url}/graphql", "gazelle_api_key": SecretStr(key), "gazelle_backoff": 0.0,
                "gazelle_timeout": 15.0, "gazelle_pause_ms": 0, **extra}

    def oauth_settings(self, **extra) -> dict:
        """An OAuth application without any token yet: the dashboard's « Connecter Gazelle » gets one."""
        return {**self.settings(**extra), "gazelle_refresh_token": None,
                "gazelle_authorize_url": f"{self.public_url}/oauth/authorize"}

    def settings(self, **extra) -> dict:
        return {"gazelle_pause_ms": 0, "gazelle_api_url": f"{self.url}/graphql", "gazelle_token_url": f"{self.url}/oauth/token",
                "gazelle_client_id": CLIENT_ID, "gazelle_client_secret": SecretStr(CLIENT_SECRET),
                "gazelle_refresh_token": SecretStr(self.refresh_token), "gazelle_backoff": 0.0, "gazelle_timeout": 15.0,
                **extra}

