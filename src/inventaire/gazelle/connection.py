"""The connection to Gazelle as the office sees it: its state, the live check, « Connecter Gazelle ».

« Connecter Gazelle » sends the administrator to Gazelle with a one-time `state`. Gazelle's
return is a cross-site navigation, which does not carry the page session's SameSite=Strict
cookie; so the state is bound to the browser by a nonce in a cookie of its own, SameSite=Lax
(sent with a top-level navigation from another site), and only digests of both are stored. A
callback is accepted once, within ten minutes, from the browser that asked: a forged or
replayed one stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from urllib.parse import urlencode

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from inventaire.gazelle import schema_check
from inventaire.gazelle import service as gazelle_service
from inventaire.gazelle.client import GazelleClient
from inventaire.gazelle.errors import GazelleError
from inventaire.gazelle.models import GazelleToken, OAuthState
from inventaire.gazelle.schemas import CheckRead, StateRead, sync_read
from inventaire.gazelle.tokens import digest
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow
from inventaire.kit.enums import GazelleMode
from inventaire.kit.exceptions import Conflict, Forbidden
from inventaire.kit.quantities import count

STATE_LIFETIME = dt.timedelta(minutes=10)
CALLBACK = "/gazelle/retour"
REFUSED = ("Retour de Gazelle refusé : cette demande de connexion est inconnue, déjà utilisée, expirée ou faite "
           "depuis un autre navigateur. Rien n'a été enregistré ; cliquez de nouveau sur « Connecter Gazelle ».")


def check(*, session_factory: sessionmaker[Session], settings: Settings) -> CheckRead:
    """« Tester la connexion »: the live schema check and the users the account sees, stored."""
    with GazelleClient(settings.model_copy(update={"gazelle_attempts": 1}), session_factory) as client:
        verdict = schema_check.verify(client=client)
    with session_scope(session_factory) as session:
        stored = schema_check.store(db_session=session, verdict=verdict)
        return CheckRead(ok=verdict.ok, mode=GazelleMode(verdict.mode), champs_manquants=verdict.champs_manquants,
                         utilisateurs=verdict.utilisateurs, erreur=verdict.erreur, verifie_le=stored.checked_at)


def verdict_text(check: CheckRead) -> str:
    """The verdict in one French sentence."""
    how = GazelleMode(check.mode).label
    if check.erreur:
        return f"Connexion à Gazelle en échec ({how}) : {check.erreur}"
    if check.champs_manquants:
        fields = ", ".join(f"« {f} »" for f in check.champs_manquants)
        return (f"Gazelle répond ({how}), mais son schéma a changé : "
                f"{count(len(check.champs_manquants), 'champ manquant', 'champs manquants')} ({fields}).")
    return (f"Connexion à Gazelle réussie ({how}) : chaque champ lu par le connecteur existe ; le compte voit "
            f"{count(check.utilisateurs or 0, 'utilisateur')}.")


def state(*, db_session: Session, settings: Settings) -> StateRead:
    """The mode, since when connected, the last runs, the last check (for the page and the API)."""
    mode = settings.gazelle_mode
    row = db_session.get(GazelleToken, 1)
    connected = mode == GazelleMode.CLE_API or (mode == GazelleMode.OAUTH and (
        (row is not None and bool(row.refresh_token)) or settings.gazelle_refresh_token is not None))
    success = gazelle_service.last_success(db_session=db_session)
    failure = gazelle_service.last_failure(db_session=db_session)
    last = schema_check.last(db_session=db_session)
    return StateRead(
        mode=mode, connecte=connected,
        connecte_depuis=(row.connecte_depuis or row.updated_at) if row is not None and mode == GazelleMode.OAUTH
        else None,
        derniere_reussite=sync_read(success) if success else None,
        derniere_erreur=sync_read(failure) if failure else None,
        verification=CheckRead(ok=last.ok, mode=GazelleMode(last.mode), champs_manquants=last.champs_manquants,
                               utilisateurs=last.utilisateurs, erreur=last.erreur, verifie_le=last.checked_at)
        if last else None,
    )


def redirect_uri(settings: Settings, fallback_base: str) -> str:
    return f"{settings.base_url or fallback_base.rstrip('/')}{CALLBACK}"


def start(*, db_session: Session, settings: Settings, by: str, base: str) -> tuple[str, str]:
    """The authorization URL to send the administrator to, and the browser's nonce (for its cookie)."""
    if settings.gazelle_mode == GazelleMode.CLE_API:
        raise Conflict("Une clé d'API Gazelle est configurée : c'est elle qui est utilisée, aucune autorisation "
                       "n'est nécessaire.")
    if not settings.gazelle_oauth:
        raise Conflict("L'application OAuth de Gazelle n'est pas inscrite dans la configuration du service : demandez "
                       "à la personne qui gère son hébergement de l'y inscrire, puis revenez cliquer sur « Connecter "
                       "Gazelle ».")
    db_session.execute(delete(OAuthState).where(OAuthState.expires_at < utcnow()))
    state_value, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db_session.add(OAuthState(etat=digest(state_value), navigateur=digest(nonce), demande_par=by[:120],
                              created_at=utcnow(), expires_at=utcnow() + STATE_LIFETIME))
    db_session.flush()
    query = urlencode({"client_id": settings.gazelle_client_id, "response_type": "code",
                       "redirect_uri": redirect_uri(settings, base), "state": state_value})
    return f"{settings.gazelle_authorize_url}?{query}", nonce


def finish(*, session_factory: sessionmaker[Session], settings: Settings, code: str, state_value: str,
           nonce: str | None, base: str) -> str:
    """Gazelle's return: the state used up (committed first), then the code exchanged; who asked."""
    with session_scope(session_factory) as session:
        row = session.scalar(select(OAuthState).where(OAuthState.etat == digest(state_value)).with_for_update())
        if (row is None or row.used_at is not None or row.expires_at < utcnow() or not nonce
                or not hmac.compare_digest(row.navigateur, digest(nonce))):
            raise Forbidden(REFUSED)
        row.used_at = utcnow()
        by = row.demande_par
    if not code or len(code) > 2000:
        raise GazelleError("Gazelle n'a pas renvoyé de code d'autorisation : rien n'a été enregistré.")
    with GazelleClient(settings, session_factory) as client:
        if client.tokens is None:
            raise Conflict("Une clé d'API Gazelle est configurée : l'autorisation n'est pas utilisée.")
        client.tokens.exchange_code(code=code, redirect_uri=redirect_uri(settings, base), by=by)
    return by


def disconnect(*, db_session: Session) -> bool:
    """« Déconnecter »: forget the stored tokens and the pending states."""
    from inventaire.gazelle.tokens import forget

    db_session.execute(delete(OAuthState))
    return forget(db_session=db_session)
