"""The live schema check: does Gazelle still have every type and field the connector reads?

The fields are derived from the connector's own query documents (queries.DOCUMENTS), parsed
with graphql-core: starting from Gazelle's query type, each level asks `__type` for the types
it reaches (one request per level, aliased), so a renamed field is named (« PrivateEvent.
allServiceItems ») instead of failing a sync on a generic GraphQL error. A check is kept in
`gazelle_verifications`; a sync reuses a successful one for a day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from inventaire.gazelle import queries
from inventaire.gazelle.client import GazelleClient
from inventaire.gazelle.errors import GazelleError, SchemaDrift
from inventaire.gazelle.models import SchemaCheck
from inventaire.kit.database import session_scope, utcnow

KEPT = dt.timedelta(days=1)
_TYPE_REF = "name kind ofType { name kind ofType { name kind ofType { name kind ofType { name } } } }"
Pending = tuple[str, SelectionSetNode, dict[str, FragmentDefinitionNode]]


@dataclass
class Verdict:
    ok: bool
    mode: str
    champs_manquants: list[str] = field(default_factory=list)
    utilisateurs: int | None = None
    erreur: str | None = None


def _named(ref: dict | None) -> str | None:
    while ref and ref.get("ofType") and not ref.get("name"):
        ref = ref["ofType"]
    return ref.get("name") if ref else None


def _starts(documents: list[str], root: str) -> list[Pending]:
    starts: list[Pending] = []
    for document in documents:
        tree = parse(document)
        fragments = {d.name.value: d for d in tree.definitions if isinstance(d, FragmentDefinitionNode)}
        starts += [(root, d.selection_set, fragments) for d in tree.definitions
                   if isinstance(d, OperationDefinitionNode)]
    return starts


def _types(client: GazelleClient, names: list[str]) -> dict[str, dict[str, str | None] | None]:
    """Each type's fields → their named type (None for a type Gazelle does not have), in one request."""
    aliases = " ".join(f't{n}: __type(name: {json.dumps(name)}) {{ name fields(includeDeprecated: true) '
                       f'{{ name type {{ {_TYPE_REF} }} }} }}' for n, name in enumerate(names))
    data = client.query(f"query SchemaCheck {{ {aliases} }}")
    found: dict[str, dict[str, str | None] | None] = {}
    for n, name in enumerate(names):
        described = data.get(f"t{n}")
        found[name] = None if not isinstance(described, dict) else {
            f["name"]: _named(f.get("type")) for f in described.get("fields") or [] if isinstance(f, dict)}
    return found


def missing_fields(client: GazelleClient, documents: list[str] | None = None) -> list[str]:
    """« Type.field » for every field the documents read that Gazelle's live schema lacks."""
    schema = client.query("query Root { __schema { queryType { name } } }").get("__schema") or {}
    root = (schema.get("queryType") or {}).get("name") or "Query"
    pending = _starts(documents or queries.DOCUMENTS, root)
    known: dict[str, dict[str, str | None] | None] = {}
    missing: list[str] = []
    while pending:
        unknown = sorted({name for name, _, _ in pending if name not in known})
        if unknown:
            known.update(_types(client, unknown))
        level, pending = pending, []
        for type_name, selections, fragments in level:
            fields = known[type_name]
            for node in selections.selections:
                if fields is None:
                    missing.append(type_name)
                    break
                if isinstance(node, FragmentSpreadNode):
                    fragment = fragments[node.name.value]
                    pending.append((fragment.type_condition.name.value, fragment.selection_set, fragments))
                elif isinstance(node, InlineFragmentNode):
                    target = node.type_condition.name.value if node.type_condition else type_name
                    pending.append((target, node.selection_set, fragments))
                elif isinstance(node, FieldNode) and not node.name.value.startswith("__"):
                    name = node.name.value
                    if name not in fields:
                        missing.append(f"{type_name}.{name}")
                    elif node.selection_set is not None and fields[name]:
                        pending.append((fields[name] or "", node.selection_set, fragments))
    return sorted(set(missing))


def verify(*, client: GazelleClient) -> Verdict:
    """Check the live schema and count the users the account sees (no transaction is held meanwhile)."""
    try:
        missing = missing_fields(client)
        return Verdict(ok=not missing, mode=client.mode, champs_manquants=missing,
                       utilisateurs=len(client.users()) if not missing else None)
    except GazelleError as exc:
        return Verdict(ok=False, mode=client.mode, erreur=exc.detail)


def store(*, db_session: Session, verdict: Verdict) -> SchemaCheck:
    check = SchemaCheck(checked_at=utcnow(), ok=verdict.ok, mode=verdict.mode, utilisateurs=verdict.utilisateurs,
                        champs_manquants=verdict.champs_manquants, erreur=verdict.erreur)
    db_session.add(check)
    db_session.flush()
    return check


def last(*, db_session: Session) -> SchemaCheck | None:
    return db_session.scalar(select(SchemaCheck).order_by(SchemaCheck.checked_at.desc(), SchemaCheck.id.desc())
                             .limit(1))


def fresh(*, db_session: Session, mode: str) -> bool:
    """Whether a successful check of this way in, less than a day old, spares a sync its own."""
    check = last(db_session=db_session)
    return bool(check and check.ok and check.mode == mode and utcnow() - check.checked_at < KEPT)


def require(*, client: GazelleClient, session_factory: sessionmaker[Session]) -> GazelleError | None:
    """Before a sync: the day's check, or a new one (stored); the error to fail the run with, naming missing fields."""
    with session_scope(session_factory) as session:
        if fresh(db_session=session, mode=client.mode):
            return None
    verdict = verify(client=client)
    with session_scope(session_factory) as session:
        store(db_session=session, verdict=verdict)
    if verdict.champs_manquants:
        return SchemaDrift(verdict.champs_manquants)
    return GazelleError(verdict.erreur) if verdict.erreur else None
