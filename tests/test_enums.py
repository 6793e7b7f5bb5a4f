"""The closed lists: CHECK constraints, labels and API types all come from the one enum."""

import re

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import CheckConstraint, insert, inspect
from sqlalchemy.exc import IntegrityError

from inventaire.kit import enums
from inventaire.kit.enums import (
    MOVEMENT_TYPES,
    AlertState,
    AuditAction,
    Channel,
    Choice,
    DeliveryStatus,
    LocationKind,
    MovementType,
    NotDeducted,
    Pooler,
    RequestState,
    ServiceStatus,
    SyncStatus,
    TransactionType,
)
from inventaire.kit.errors import french_message
from inventaire.models import Base
from inventaire.stock.models import Transaction
from tests.helpers import make_line, make_product, make_technician


def test_check_constraints_are_written_from_the_enums():
    checks = {f"{t.name}.{c.name.removeprefix('ck_' + t.name + '_')}": str(c.sqltext) for t in Base.metadata.tables.values()
              for c in t.constraints if isinstance(c, CheckConstraint)}
    assert checks["transactions_inventaire.type_connu"] == (
        "type IN ('reception', 'utilisation', 'ajustement', 'comptage', 'transfert')")
    assert checks["notifications.canal_connu"] == "canal IN ('email', 'slack', 'discord')"
    assert checks["notifications.statut_connu"] == "statut IN ('en_attente', 'en_cours', 'envoyee', 'echec')"


def test_members_are_their_stored_values_with_a_french_label():
    assert TransactionType.RECEPTION == "reception" and f"{TransactionType.RECEPTION}" == "reception"
    assert TransactionType.RECEPTION.label == "Réception" and AlertState.AGGRAVEE.label == "Aggravée"
    assert Channel.label_of("email") == "Courriel" and Channel.label_of("pigeon") == "pigeon"
    assert DeliveryStatus.labels()["envoyee"] == "Envoyée"
    assert {"reception"} & set(MOVEMENT_TYPES) == {"reception"}  # same hash as the plain string


def test_a_subset_of_an_enum_gives_a_french_list_of_its_values():
    class Movement(BaseModel):
        type: MovementType

    with pytest.raises(ValidationError) as caught:
        Movement.model_validate_json('{"type": "comptage"}')
    assert french_message(caught.value.errors()[0]) == (
        "valeur invalide (valeurs possibles : 'reception', 'utilisation' ou 'ajustement')"
    )


def test_the_migrated_database_accepts_every_transaction_type_and_nothing_else(db_session):
    """The CHECK the migrations created agrees with the enum (a new member needs a migration)."""
    tech, product = make_technician(db_session), make_product(db_session)
    line = make_line(db_session, tech, product, 1)
    row = dict(stock_line_id=line.id, emplacement_id=tech.id, produit_id=product.id, ajustement=0,
               quantite_avant=1, quantite_apres=1, auteur="essai")
    for kind in TransactionType:
        with db_session.begin_nested():
            db_session.execute(insert(Transaction).values(**row, type=kind))
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.execute(insert(Transaction).values(**row, type="inconnu"))


# The closed lists whose enums moved into kit/enums.py (issue 19): each must be found below.
MOVED = {
    ("demandes", "statut"): RequestState, ("emplacements", "genre"): LocationKind,
    ("services_deduits", "statut"): ServiceStatus, ("journal_audit", "action"): AuditAction,
    ("gazelle_syncs", "statut"): SyncStatus,
}
IN_LIST = re.compile(r"(\w+)\)?(?:::\w+)?\s+(?:IN|=\s*ANY)\s*\(")  # `col IN (` or PostgreSQL's `(col)::text = ANY (`


def _closed_lists() -> dict[tuple[str, str], list[type[Choice]]]:
    """{(table, column): the kit.enums Choices whose `check(column)` the model's CHECK contains} for every
    CHECK that lists values (a nullable list reads `col IS NULL OR col IN (…)`)."""
    choices = [c for c in vars(enums).values() if isinstance(c, type) and issubclass(c, Choice) and c is not Choice]
    found = {}
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            text = str(constraint.sqltext) if isinstance(constraint, CheckConstraint) else ""
            if match := IN_LIST.search(text):
                column = match.group(1)
                found[table.name, column] = [e for e in choices if e.check(column) in text]
    return found


def _in_lists(sql_texts) -> dict[str, set[str]]:
    """{column: values} of the `column IN ('a', 'b')` constraints among these SQL texts (PostgreSQL gives
    them back as `column::text = ANY (ARRAY['a'::character varying, …])`)."""
    found = {}
    for text in sql_texts:
        match = IN_LIST.search(text)
        if match and "'" in text:
            found[match.group(1)] = set(re.findall(r"'([^']*)'", text))
    return found


def test_every_closed_list_of_the_models_is_an_enum_of_kit_enums():
    """Each CHECK listing values is written by exactly one enum of kit/enums.py, word for word (so moving
    an enum there needed no migration)."""
    found = _closed_lists()
    assert {key: [e.__name__ for e in enums_] for key, enums_ in found.items() if len(enums_) != 1} == {}
    assert {key: found[key] for key in MOVED} == {key: [enum] for key, enum in MOVED.items()}
    assert found["transactions_inventaire", "type"] == [TransactionType]


def test_the_migrated_database_lists_exactly_each_enums_values(engine):
    """The CHECKs the migrations created (SQLite and PostgreSQL) agree with the enums: a member added
    without its migration fails here."""
    inspector = inspect(engine)
    for (table, column), [enum] in _closed_lists().items():
        created = _in_lists(c["sqltext"] for c in inspector.get_check_constraints(table))
        assert created.get(column) == set(enum.values()), (table, column)


def test_moved_enums_keep_their_values_and_carry_french_labels():
    assert RequestState.REFUSEE == "refusee" and RequestState.label_of("refusee") == "Refusée"
    assert LocationKind.ATELIER.label == "Atelier" and ServiceStatus.ANNULE.label == "Annulé"
    assert NotDeducted.SANS_REGLE == "sans_regle" and SyncStatus.INTERROMPUE.label == "Interrompue"
    assert AuditAction.COMMANDE_PARTIELLE.label == "Commande reçue en partie"
    assert Pooler("transaction") is Pooler.TRANSACTION
