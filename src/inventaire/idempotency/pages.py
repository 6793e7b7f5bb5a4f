"""One-time keys of the pages: the page side of `IdempotentRoute` (routing.py), same keys, store and rules.

A page that changes something takes a key from the browser (the `Idempotency-Key` header that
HTMX sends, or the hidden `cle` field of a plain form) and uses it in two calls::

    once = page_keys.claim(request=request, db_session=db_session, settings=settings,
                           principal=viewer.principal, form=form)   # a replay stops here
    ...write through the services; a refusal goes through web/render.py `refuse`...
    return once.keep(RedirectResponse(target, 303))                   # stored with the change

`claim` reserves the key in the request's transaction; when the key already has an answer it
raises `PageReplay`, which `PageRoute` answers with that answer (a redirect to the same place,
or the same HTML) and nothing is written. `keep` stores the answer in the same transaction as
the change and returns it; an answer of 400 or more is not stored (it is a refusal: `refuse`
rolled the key back with the change, and the same form may be sent again). `keep(answer,
replay=other)` stores another answer for the replays than the one sent now (a page that shows a
secret once stores a redirect instead).

One behaviour for every page: no key (absent or empty) means no protection, as an API request
without the header; a key that is not 1 to 200 visible ASCII characters is refused (422, in
French) with nothing written; the same key with another form is refused as on the API.
A key is bound to its caller (the token), its path and its form.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.auth.service import Principal
from inventaire.idempotency import service
from inventaire.idempotency.routing import HEADER, KEY_PATTERN, caller_scope
from inventaire.kit.config import Settings
from inventaire.kit.exceptions import InvalidInput

FIELD = "cle"  # the hidden field of a plain form
MALFORMED = "Clé d'idempotence invalide : rechargez la page."
REPLAYED = {"Idempotent-Replayed": "true"}

AnswerT = TypeVar("AnswerT", bound=Response)


class PageReplay(Exception):
    """The key was already answered: `response` is that answer again (PageRoute sends it)."""

    def __init__(self, response: Response):
        super().__init__("replay")
        self.response = response


def well_formed(key: str) -> bool:
    return re.fullmatch(KEY_PATTERN, key) is not None


def new_key() -> str:
    """A one-time key for a page's form (a hidden field, or the header HTMX sends)."""
    return str(uuid.uuid4())


def _stored(answer: Response) -> tuple[int, bytes]:
    """What is kept of an answer: a redirect's target, or a page's HTML."""
    if 300 <= answer.status_code < 400:
        return answer.status_code, answer.headers.get("location", "").encode()
    return answer.status_code, bytes(answer.body)


def _replayed(stored: service.StoredAnswer) -> Response:
    if 300 <= stored.status < 400:
        return RedirectResponse(stored.body.decode(), stored.status, headers=REPLAYED)
    return HTMLResponse(stored.body, stored.status, headers=REPLAYED)


@dataclass(frozen=True)
class OneTimeKey:
    """A key claimed by this request (or no key at all): `keep` stores the request's answer."""

    db_session: Session
    appelant: str
    key: str | None

    def keep(self, answer: AnswerT, *, replay: Response | None = None) -> AnswerT:
        """Store the answer (or `replay`, what a resubmission gets instead) with the change; return `answer`."""
        if self.key is not None and answer.status_code < 400:
            status, body = _stored(replay if replay is not None else answer)
            service.record(db_session=self.db_session, appelant=self.appelant, cle=self.key, status=status,
                           body=body)
        return answer


def submitted_key(request: Request, form: Mapping[str, str]) -> str | None:
    """The request's key: the header, else the form's field; None when absent or empty."""
    key = request.headers.get(HEADER)
    if key is None:
        key = form.get(FIELD)
    return key or None


def claim(*, request: Request, db_session: Session, settings: Settings, principal: Principal,
          form: Mapping[str, str]) -> OneTimeKey:
    """Claim the request's key for this form; raise PageReplay when it was answered already.

    InvalidInput (422) when the key is malformed or was used for another form.
    """
    key = submitted_key(request, form)
    appelant = caller_scope(principal)
    if key is None:
        return OneTimeKey(db_session, appelant, None)
    if not well_formed(key):
        raise InvalidInput(MALFORMED)
    stored = service.claim(
        db_session=db_session, appelant=appelant, cle=key,
        empreinte=service.fingerprint(method=request.method, path=request.url.path,
                                      body=json.dumps(dict(form), sort_keys=True).encode()),
        ttl=dt.timedelta(hours=settings.idempotency_hours),
    )
    if stored is not None:
        raise PageReplay(_replayed(stored))
    return OneTimeKey(db_session, appelant, key)
