"""INVENTAIRE_BASE_URL starts every link a person receives: e-mails, Slack and Discord."""

from tests.helpers import make_line, make_product, make_technician
from tests.servers import DISCORD_PATH, OFFICE, SLACK_PATH, configure

BASE = "https://stock.atelier.example"


def test_every_notification_links_to_the_public_address(client, app, db_session, smtp, webhooks):
    allan = make_technician(db_session, nom="Jean-Philippe", email="jp@atelier.example")
    make_line(db_session, allan, make_product(db_session, code_produit="CORD-001"), 0)
    db_session.commit()
    configure(app, **smtp.settings(), **webhooks.settings(), emails=",".join(OFFICE), notify_backoff=0.0,
              base_url=BASE)
    run = client.post("/inventaire/check-stock").json()
    page = f"{BASE}/verifications/{run['verification_id']}"
    assert len(smtp.mails) == 2  # the office, and Jean-Philippe
    for mail in smtp.mails:
        assert page in mail.part("plain") and f'href="{page}"' in mail.part("html")
        assert "127.0.0.1" not in mail.part("plain") + mail.part("html")
    [slack] = webhooks.received(SLACK_PATH)
    assert f"<{page}|" in str(slack["blocks"]) and "127.0.0.1" not in str(slack)
    [discord] = webhooks.received(DISCORD_PATH)
    assert page in discord["content"] and "127.0.0.1" not in str(discord)
