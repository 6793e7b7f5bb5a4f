"""Slow clients wait outside the admission gate: a trickled body never takes a slot (live server)."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from contextlib import contextmanager

import httpx

from tests.helpers import make_line, make_product, make_technician
from tests.live import live_server

SLOW = 130  # the figure: more than the 30 admission slots, with room to spare


def _slow_post(port: int, length: int = 200) -> socket.socket:
    """An unauthenticated POST whose headers are complete and whose body has not started."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(
        b"POST /inventaire/stock/ajuster HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {length}\r\n\r\n".encode()
    )
    return sock


@contextmanager
def trickling(port: int, n: int, every: float):
    """`n` sockets sending their body one byte every `every` seconds until the block ends."""
    socks = [_slow_post(port) for _ in range(n)]
    stop = threading.Event()

    def drip():
        while not stop.wait(every):
            for sock in socks:
                try:
                    sock.send(b" ")
                except OSError:  # answered and closed: nothing more to send
                    pass

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    try:
        yield socks
    finally:
        stop.set()
        thread.join(timeout=every + 5)
        for sock in socks:
            sock.close()


def _timed(client: httpx.Client, path: str) -> float:
    began = time.monotonic()
    response = client.get(path)
    assert response.status_code == 200, response.text
    return time.monotonic() - began


def test_130_trickling_clients_leave_health_and_reads_under_2_s(fresh_database):
    with live_server(fresh_database.url, body_timeout=60) as server:
        with server.session() as s:
            make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), 5)
        port = int(server.base_url.rsplit(":", 1)[1])
        with server.client() as client:  # warm: the first request's one-off costs are not the trickle's
            _timed(client, "/health"), _timed(client, "/inventaire/stock/Allan")
        with trickling(port, SLOW, every=5.0):
            time.sleep(6)  # every slow client has sent its headers and started its body
            health, reads = [], []
            with server.client() as client:
                for _ in range(5):
                    health.append(_timed(client, "/health"))
                    reads.append(_timed(client, "/inventaire/stock/Allan"))
                    time.sleep(0.5)
    print(f"{SLOW} trickling sockets: /health max {max(health):.3f} s (median {statistics.median(health):.3f}), "
          f"authenticated read max {max(reads):.3f} s (median {statistics.median(reads):.3f})")
    assert max(health) < 2 and max(reads) < 2


def test_a_body_slower_than_the_limit_gets_408_and_nothing_changes(fresh_database):
    with live_server(fresh_database.url, body_timeout=1.5) as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        with trickling(port, 3, every=0.5) as socks:
            began = time.monotonic()
            answers = [sock.recv(4096).decode() for sock in socks]
            waited = time.monotonic() - began
        assert all(a.startswith("HTTP/1.1 408") for a in answers), answers
        assert all("reçu trop lentement (plus de 1.5 s)" in a for a in answers)
        assert 1.0 < waited < 5
        with server.client() as client:
            assert client.get("/inventaire/transactions").json()["total"] == 0


def test_a_body_sent_in_pieces_in_time_is_served(fresh_database):
    """Buffering before admission keeps the body whole: a chunked upload still works."""
    with live_server(fresh_database.url) as server:
        with server.session() as s:
            make_technician(s, nom="Allan")
            make_product(s, code_produit="CORD-001")
        body = b'{"technicien": "Allan", "code_produit": "CORD-001", "ajustement": 2, "type": "reception"}'

        def pieces():
            for i in range(0, len(body), 10):
                yield body[i:i + 10]
                time.sleep(0.01)

        with server.client() as client:
            response = client.post("/inventaire/stock/ajuster", content=pieces(),
                                   headers={"Content-Type": "application/json"})
        assert response.status_code == 200, response.text
        assert response.json()["quantite_apres"] in (2, "2", "2.000")
