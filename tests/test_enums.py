"""The closed lists: CHECK constraints, labels and API types all come from the one enum."""

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import CheckConstraint, insert
from sqlalchemy.exc import IntegrityError

from inventaire.kit.enums import MOVEMENT_TYPES, AlertState, Channel, DeliveryStatus, MovementType, TransactionType
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
