"""Every chat message escapes what people (and Gazelle) wrote, as the check's digest does: a note
« @everyone <!channel> <https://evil.example|Cliquez ici> » pings nobody and disguises no link; the one
link is ours, to the dashboard (`/`). Real webhook server on loopback, both databases."""

from __future__ import annotations

import datetime as dt

from inventaire.gazelle import notify as gazelle_notify
from inventaire.gazelle.models import GazelleSync
from inventaire.kit.enums import SyncStatus
from tests.helpers import bearer, make_product, make_technician, make_token
from tests.servers import DISCORD_PATH, SLACK_PATH, configure

HOSTILE = "@everyone <!channel> <https://evil.example|Cliquez ici> [ici](https://evil.example) & *gras*"
BASE = "https://stock.example.com"


def _slack_is_harmless(text: str) -> None:
    assert "<!channel>" not in text and "<https://evil.example" not in text
    assert "&lt;!channel&gt; &lt;https://evil.example|Cliquez ici&gt;" in text and " &amp; " in text
    assert text.endswith(f"<{BASE}/|Ouvrir le tableau de bord>")  # our link, the only one, to the dashboard
    assert "/tableau" not in text


def _discord_is_harmless(body: dict) -> None:
    assert body["allowed_mentions"] == {"parse": []}
    content = body["content"]
    assert r"\[ici\](https://evil.example)" in content and r"\*gras\*" in content
    assert content.endswith(f"\n{BASE}/") and "/tableau" not in content


def test_a_request_announcement_escapes_the_note_and_the_product_name(app, anon_client, db_session, notifying,
                                                                      webhooks):
    configure(app, base_url=BASE)
    allan = make_technician(db_session, nom="Allan")
    make_product(db_session, code_produit="MART-01", nom_produit="Marteau <!here> & @here")
    raw = make_token(db_session, "technicien", technician=allan)
    asked = anon_client.post("/inventaire/demandes", headers=bearer(raw), json={
        "technicien": "Allan", "code_produit": "MART-01", "quantite": 1, "note": HOSTILE})
    assert asked.status_code == 201, asked.text
    [slack] = webhooks.received(SLACK_PATH)
    _slack_is_harmless(slack["text"])
    assert "<!here>" not in slack["text"] and "Marteau &lt;!here&gt; &amp; @here" in slack["text"]
    [discord] = webhooks.received(DISCORD_PATH)
    _discord_is_harmless(discord)


def test_a_gazelle_failure_alert_escapes_gazelle_s_error(app, db_session, notifying, webhooks):
    settings = configure(app, base_url=BASE, gazelle_alert_after=1)
    run = GazelleSync(statut=SyncStatus.ECHEC, jours=30, declenchee_par="essai", started_at=dt.datetime.now(dt.UTC),
                      erreur=f"Gazelle a répondu 500 : {HOSTILE}")
    db_session.add(run)
    db_session.flush()
    gazelle_notify.after_failure(db_session=db_session, settings=settings, run=run)
    [slack] = webhooks.received(SLACK_PATH)
    assert slack["text"].startswith("*Synchronisation Gazelle en échec (1 fois de suite)*")
    _slack_is_harmless(slack["text"])
    [discord] = webhooks.received(DISCORD_PATH)
    _discord_is_harmless(discord)
    assert run.notifiee
