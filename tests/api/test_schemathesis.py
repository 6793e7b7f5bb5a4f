"""Schemathesis against the OpenAPI schema: no 500, every answer conforms to the schema.

Each operation gets a bounded number of generated requests, valid ones (positive) and
invalid ones (negative), authenticated as the office. Every generated request is sent to
two apps, one over SQLite and one over PostgreSQL (generation is the slow part; the
databases are what differ). Every Schemathesis check runs (status codes, content types,
response bodies and headers, invalid data refused, valid data accepted, missing
authentication refused) except the two stateful ones, which assume a create/read/delete
resource model this API does not have (archiving is a state, not a deletion).
"""

from __future__ import annotations

import collections
import uuid
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from inventaire.app import create_app
from inventaire.auth import service as auth
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from tests import databases
from tests.helpers import make_line, make_product, make_technician

EXAMPLES_PER_OPERATION = 10  # per generation mode; each example is sent to both databases
EXCLUDED = [openapi_checks.use_after_free, openapi_checks.ensure_resource_availability]
RUN = collections.Counter()  # examples generated and requests sent, for the closing report


def _target(backend: str, folder) -> tuple:
    """An app over a fresh database of this backend, stocked a little, and its admin header."""
    folder.mkdir()
    db = databases.MigratedDatabase(backend, folder)
    engine = make_engine(Settings(DATABASE_URL=db.url).database_url)
    with session_scope(make_sessionmaker(engine)) as s:
        make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), Decimal("25"))
        raw, _ = auth.create_token(db_session=s, role="admin")
    engine.dispose()
    # Schemathesis sends invalid credentials to every operation and wants 401 each time: the
    # throttling (429 after 20 a minute, tests/auth/test_throttle.py) is set out of its reach.
    settings = Settings(DATABASE_URL=db.url, auth_failures_per_minute=1_000_000)
    return db, create_app(settings), {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def targets(tmp_path):
    made = []
    try:
        for backend in ("sqlite", "postgresql"):
            made.append(_target(backend, tmp_path / backend))
        yield [(app, headers) for _db, app, headers in made]
    finally:
        for db, _app, _headers in made:
            db.dispose()


def test_schema_holds_under_generated_requests(targets):
    schema = schemathesis.openapi.from_asgi("/openapi.json", targets[0][0], headers=targets[0][1])  # it needs a token too
    failures: dict[str, set[str]] = collections.defaultdict(set)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def exercise(case):  # noqa: B023 (run at once, inside this iteration)
                RUN["examples"] += 1
                if mode is GenerationMode.POSITIVE and "Idempotency-Key" in (case.headers or {}):  # noqa: B023
                    # A valid key, but a fresh one: reusing one for another body is refused (422) by design.
                    case.headers["Idempotency-Key"] = str(uuid.uuid4())
                for app, headers in targets:
                    RUN["requests"] += 1
                    response = case.call(headers=headers, app=app)
                    try:
                        case.validate_response(response, headers=headers, excluded_checks=EXCLUDED,
                                               transport_kwargs={"app": app})
                    except (AssertionError, BaseExceptionGroup) as exc:  # collected: one run reports all
                        failures[f"{operation.label} [{mode.value}]"].add(  # noqa: B023 (run at once)
                            f"{response.status_code}: {exc}"[:600])

            try:
                exercise()
            except Unsatisfiable:  # nothing to make invalid (GET /health has no parameter)
                assert mode is GenerationMode.NEGATIVE, operation.label
    print(f"\nSchemathesis: {len(operations)} operations, {RUN['examples']} examples, {RUN['requests']} requests")
    report = "\n\n".join(f"{label}:\n  " + "\n  ".join(sorted(f)[:3]) for label, f in failures.items())
    assert not failures, report
