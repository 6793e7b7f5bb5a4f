"""Slack and Discord webhooks against a real HTTP server on loopback: payloads, retries, failures."""

import json

import pytest

from inventaire.checks.models import Notification
from tests.helpers import make_line, make_product, make_technician
from tests.live import free_port
from tests.servers import DISCORD_PATH, SLACK_PATH, configure


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    for i in range(12):  # twelve critical lines: more than a chat message lists
        make_line(db_session, allan, make_product(db_session, code_produit=f"CORD-{i:03d}"), 0)
    make_line(db_session, allan, make_product(db_session, code_produit="MART-01"), 2)  # low, not critical
    db_session.commit()


def chat_only(app, webhooks, **extra):
    return configure(app, **{**webhooks.settings(), "notify_backoff": 0.0, **extra})


def test_slack_and_discord_payloads(client, app, webhooks, van):
    chat_only(app, webhooks)
    body = client.post("/inventaire/check-stock").json()
    notes, link = body["notifications"], f"http://127.0.0.1:8000/verifications/{body['verification_id']}"
    assert [(n["canal"], n["destinataires"], n["statut"], n["tentatives"]) for n in notes] == [
        ("slack", ["Slack"], "envoyee", 1), ("discord", ["Discord"], "envoyee", 1)]
    assert {r.content_type for r in webhooks.requests} == {"application/json"}

    [slack] = webhooks.received(SLACK_PATH)
    assert slack["text"] == f"Inventaire : 13 alertes à signaler dont 12 critiques — 13 nouvelles — {link}"
    header, counts, lines, context = slack["blocks"]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert header["text"]["text"].startswith("Inventaire — vérification du ")
    assert counts["text"] == {"type": "mrkdwn", "text": "*13 alertes à signaler dont 12 critiques — 13 nouvelles*"}
    listed = lines["text"]["text"].split("\n")
    assert listed[0] == "*Alertes critiques*" and len(listed) == 12 and listed[-1] == "… et 2 autres"
    assert "• Allan — CORD-000 Produit d'essai" in listed[1] and ": 0 unité (seuil 5)" in listed[1]
    assert "MART-01" not in lines["text"]["text"]  # only the critical lines
    assert context["type"] == "context" and f"<{link}|Vérification n° " in context["elements"][0]["text"]

    [discord] = webhooks.received(DISCORD_PATH)
    assert discord["content"].startswith("**Inventaire** — 13 alertes à signaler dont 12 critiques")
    assert discord["allowed_mentions"] == {"parse": []}
    [embed] = discord["embeds"]
    assert embed["title"] == "Alertes critiques" and embed["color"] == 0xC62828 and embed["url"] == link
    assert discord["content"].endswith(f"\n{link}")
    assert embed["description"].count("\n• ") == 9 and embed["description"].endswith("… et 2 autres")


def test_text_typed_by_people_cannot_format_or_ping(client, app, webhooks, db_session):
    tech = make_technician(db_session, nom="Allan")
    make_line(db_session, tech, make_product(db_session, code_produit="FEUT-01",
                                             nom_produit="<!here> Feutre & *gras* _x_"), 0)
    db_session.commit()
    chat_only(app, webhooks)
    client.post("/inventaire/check-stock")
    slack_line = webhooks.received(SLACK_PATH)[0]["blocks"][2]["text"]["text"]
    assert "&lt;!here&gt; Feutre &amp; *gras* _x_" in slack_line and "<!here>" not in slack_line
    discord_line = webhooks.received(DISCORD_PATH)[0]["embeds"][0]["description"]
    assert r"<!here> Feutre & \*gras\* \_x\_" in discord_line


def test_a_500_is_retried_then_delivered(client, app, webhooks, van):
    chat_only(app, webhooks)
    webhooks.statuses[SLACK_PATH].extend([500, 503])
    webhooks.statuses[DISCORD_PATH].extend([500, 500, 500])
    slack, discord = client.post("/inventaire/check-stock").json()["notifications"]
    assert (slack["statut"], slack["tentatives"], slack["erreur"]) == ("envoyee", 3, None)
    assert len(webhooks.received(SLACK_PATH)) == 3
    assert (discord["statut"], discord["tentatives"]) == ("echec", 3)
    assert discord["erreur"] == "webhook Discord : réponse 500 erreur interne simulee"


def test_a_4xx_is_not_retried(client, app, webhooks, van):
    chat_only(app, webhooks)
    webhooks.statuses[SLACK_PATH].append(404)
    slack, discord = client.post("/inventaire/check-stock").json()["notifications"]
    assert (slack["statut"], slack["tentatives"]) == ("echec", 1) and "réponse 404" in slack["erreur"]
    assert discord["statut"] == "envoyee"


def test_webhook_urls_are_never_stored_or_shown(client, app, db_session, van):
    port = free_port()  # nothing listens: connection refused
    slack_url = f"http://127.0.0.1:{port}{SLACK_PATH}"
    configure(app, slack_webhook_url=slack_url, notify_backoff=0.0)
    response = client.post("/inventaire/check-stock")
    [note] = response.json()["notifications"]
    assert note["statut"] == "echec" and note["erreur"].startswith("webhook Slack injoignable : ConnectError")
    stored = db_session.get(Notification, note["id"])
    everything = response.text + json.dumps([stored.contenu, stored.destinataires, stored.erreur, stored.sujet])
    assert "secret-slack-token" not in everything
