"""A short smoke run of the live server; the full concurrency test lives in test_concurrency.py."""

from concurrent.futures import ThreadPoolExecutor

from tests.factories import make_line, make_product, make_technician


def test_parallel_uses_lose_nothing(server):
    with server.session() as s:
        tech = make_technician(s, nom="Allan")
        product = make_product(s, code_produit="CORD-001")
        make_line(s, tech, product, 20)

    def use(_):
        with server.client() as c:
            return c.post("/inventaire/stock/ajuster", json={
                "technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation",
            }).status_code

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(use, range(20)))
    assert codes == [200] * 20
    with server.client() as c:
        lines = c.get("/inventaire/stock/Allan").json()
        assert lines[0]["quantite"] == 0
        assert c.get("/inventaire/transactions", params={"technicien": "Allan"}).json()["total"] == 21
