"""The closed lists: CHECK constraints, labels and API types all come from the one enum."""

import re

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import CheckConstraint, insert, inspect
from sqlalchemy.exc import IntegrityError

from inventaire.kit.enums import (
    MOVEMENT_TYPES,
    AlertState,
    AuditAction,
    Channel,
    DeliveryStatus,
    LocationKind,
    MovementType,
    NotDeducted,
    OrderState,
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


# Every CHECK of a closed list, with the enum it is written from (kit/enums.py holds them all).
CHECKED = {
    ("transactions_inventaire", "type"): TransactionType, ("notifications", "canal"): Channel,
    ("notifications", "statut"): DeliveryStatus, ("commandes", "statut"): OrderState,
    ("demandes", "statut"): RequestState, ("emplacements", "genre"): LocationKind,
    ("services_deduits", "statut"): ServiceStatus, ("journal_audit", "action"): AuditAction,
    ("gazelle_syncs", "statut"): SyncStatus,
}


def _in_lists(sql_texts) -> dict[str, set[str]]:
    """{column: values} of the `column IN ('a', 'b')` constraints among these SQL texts (PostgreSQL gives
    them back as `column::text = ANY (ARRAY['a'::character varying, …])`)."""
    found = {}
    for text in sql_texts:
        match = re.match(r"\s*\(*(\w+)\)?(?:::\w+)?\s+(?:IN|=\s*ANY)\s*\(", text)
        if match and "'" in text:
            found[match.group(1)] = set(re.findall(r"'([^']*)'", text))
    return found


def test_every_closed_list_of_the_models_is_an_enum_of_kit_enums():
    """Each CHECK listing values is one of these enums' `check`, word for word (so no migration moved)."""
    listed = {(t.name, str(c.sqltext).split(" IN ")[0]): str(c.sqltext) for t in Base.metadata.tables.values()
              for c in t.constraints if isinstance(c, CheckConstraint) and " IN (" in str(c.sqltext)}
    assert set(listed) == set(CHECKED)
    for (table, column), enum in CHECKED.items():
        assert enum.__module__ == "inventaire.kit.enums"
        assert listed[table, column] == enum.check(column), (table, column)


def test_the_migrated_database_lists_exactly_each_enums_values(engine):
    """The CHECKs the migrations created (SQLite and PostgreSQL) agree with the enums: a member added
    without its migration fails here."""
    inspector = inspect(engine)
    for (table, column), enum in CHECKED.items():
        created = _in_lists(c["sqltext"] for c in inspector.get_check_constraints(table))
        assert created.get(column) == set(enum.values()), (table, column)


def test_moved_enums_keep_their_values_and_carry_french_labels():
    assert RequestState.REFUSEE == "refusee" and RequestState.label_of("refusee") == "Refusée"
    assert LocationKind.ATELIER.label == "Atelier" and ServiceStatus.ANNULE.label == "Annulé"
    assert NotDeducted.SANS_REGLE == "sans_regle" and SyncStatus.INTERROMPUE.label == "Interrompue"
    assert AuditAction.COMMANDE_PARTIELLE.label == "Commande reçue en partie"
    assert Pooler("transaction") is Pooler.TRANSACTION
