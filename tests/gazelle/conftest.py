"""The fake Gazelle for every test of this folder, and the app's settings pointed at it."""

from decimal import Decimal

import pytest

from inventaire.regles import service as regles
from tests.gazelle.fake import FakeGazelle
from tests.helpers import make_line, make_product, make_technician

PLS, TRAIT = "mit_2eBOzDvunD7PHs6M", "mit_CX6CvWXbjs08vg70"
ALLAN = "usr_aS8wQ2nLk4Tz"


@pytest.fixture
def gazelle():
    fake = FakeGazelle().start()
    yield fake
    fake.stop()
    assert fake.invalid == [], "queries Gazelle would have refused"


@pytest.fixture
def gz_settings(settings, gazelle):
    return settings.model_copy(update=gazelle.settings())


@pytest.fixture
def checked(gazelle, gz_settings, session_factory):
    """The day's schema check done, so that a sync's first requests are its pages (faults hit them)."""
    from inventaire.gazelle import connection

    assert connection.check(session_factory=session_factory, settings=gz_settings).ok
    gazelle.queries.clear()


@pytest.fixture
def van(db_session, checked):
    """Allan's van with PLS parts and their rules, Gazelle's schema already checked."""
    allan = make_technician(db_session, nom="Allan", gazelle_id=ALLAN)
    products = {}
    for code, qty in (("PLS-BUV", 20), ("PLS-GAINE", 20), ("PLS-TRAIT-227", 3)):
        products[code] = make_product(db_session, code_produit=code)
        make_line(db_session, allan, products[code], qty)
    for code, service in (("PLS-BUV", PLS), ("PLS-GAINE", PLS), ("PLS-TRAIT-227", TRAIT)):
        regles.create(db_session=db_session, service_id=service, product=products[code], quantite=Decimal(1))
    db_session.commit()
    return allan
