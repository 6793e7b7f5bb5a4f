"""The words of the evening list and of the morning's changes: e-mails to technicians, one line per van
for the office's chat; and what a list was (`snapshot`), so the morning can say what changed since."""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import quote
from zoneinfo import ZoneInfo

from inventaire.chargement.service import LoadList
from inventaire.kit.config import Settings
from inventaire.kit.names import de
from inventaire.kit.quantities import NBSP, count, quantity, unit_for
from inventaire.notifications.chat import discord_escape, slack_escape

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")


def long_date(day: dt.date) -> str:
    """mardi 8 décembre, lundi 1er juin"""
    return f"{JOURS[day.weekday()]} {day.day}{'er' if day.day == 1 else ''}{NBSP}{MOIS[day.month - 1]}"


def hour(moment: dt.datetime, tz: ZoneInfo) -> str:
    """9 h 05, in the company's time"""
    local = moment.astimezone(tz)
    return f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"


def snapshot(load: LoadList, tz: ZoneInfo) -> dict[str, dict]:
    """Appointment id → what a person reads of it (time, client, services)."""
    return {a.id_externe: {"heure": hour(a.debut, tz), "client": a.client or a.titre or "client inconnu",
                           "services": [s["nom"] or s["service_id"] or "article libre" for s in a.services]}
            for a in load.appointments}


def changes(before: dict[str, dict[str, dict]], now: dict[str, dict[str, dict]]) -> dict[str, list[str]]:
    """Per technician, the sentences of what changed between two snapshots (added, cancelled, moved)."""
    owner_now = {evt: nom for nom, visits in now.items() for evt in visits}
    owner_before = {evt: nom for nom, visits in before.items() for evt in visits}
    said: dict[str, list[str]] = {}
    for nom, visits in now.items():
        for evt, v in visits.items():
            if evt not in before.get(nom, {}):
                came = f" (venait {de(owner_before[evt])})" if evt in owner_before else ""
                said.setdefault(nom, []).append(f"Ajouté : {v['heure']}, {v['client']}{came}")
    for nom, visits in before.items():
        for evt, v in visits.items():
            if evt in now.get(nom, {}):
                continue
            moved = owner_now.get(evt)
            verb = f"Déplacé vers {moved}" if moved else "Annulé"
            said.setdefault(nom, []).append(f"{verb} : {v['heure']}, {v['client']}")
    return said


def _lines(load: LoadList) -> list[str]:
    return [f"{quantity(line.a_charger, grouped=True)} {unit_for(line.a_charger, line.product.unite)} — "
            f"{line.product.nom_produit} "
            f"({line.product.code_produit})" for line in load.missing]


def email(load: LoadList, *, settings: Settings, to: list[str], changed: list[str] | None = None) -> dict:
    """The evening list (or, with `changed`, the morning's changes) for one technician."""
    tz, day = ZoneInfo(settings.tz), long_date(load.day)
    link = settings.link(f"/stock/{quote(load.technician.nom, safe='')}#demain")
    missing = _lines(load)
    if changed is None:
        subject = f"Chargement du {day} : {count(len(load.appointments), 'rendez-vous')}, " \
                  f"{count(len(missing), 'pièce')} à charger"
        intro = [f"Bonjour {load.technician.nom},", "", f"Vos rendez-vous du {day} :"]
    else:
        subject = f"Changements pour le {day} : {count(len(changed), 'changement')}"
        intro = [f"Bonjour {load.technician.nom},", "", f"Depuis hier soir, dans Gazelle, pour le {day} :", *changed,
                 "", "Vos rendez-vous maintenant :"]
    visits = [f"  {hour(a.debut, tz)} — {a.client or a.titre or 'client inconnu'}" for a in load.appointments]
    body = [*intro, *(visits or ["  aucun"]), "", "À charger :", *(f"  {m}" for m in missing or ["rien ne manque"])]
    if load.a_apporter:
        body += ["", "À apporter (notes) :", *(f"  {line}" for line in load.a_apporter)]
    if link:
        body += ["", f"Votre page : {link}"]
    text = "\n".join(body) + "\n"
    markup = "<pre style=\"font-family:inherit\">" + html.escape(text) + "</pre>"
    return {"to": to, "subject": subject, "text": text, "html": markup}


def van_line(load: LoadList, changed: list[str] | None = None) -> str:
    """« Allan — 3 rendez-vous, 2 pièces à charger » (or the morning's changes)."""
    if changed is not None:
        return f"{load.technician.nom} — " + " ; ".join(changed)
    missing = ", ".join(f"{line.product.code_produit} ×{quantity(line.a_charger, grouped=True)}" for line in load.missing)
    return (f"{load.technician.nom} — {count(len(load.appointments), 'rendez-vous')}, "
            + (f"à charger : {missing}" if missing else "rien à charger"))


def chat(lines: list[str], *, title: str, slack: bool) -> dict:
    """One message for the office: a title and one line per van."""
    if slack:
        return {"text": "\n".join([f"*{slack_escape(title)}*", *(slack_escape(line) for line in lines)])[:3000]}
    text = "\n".join([f"**{discord_escape(title)}**", *(discord_escape(line) for line in lines)])
    return {"content": text[:2000], "allowed_mentions": {"parse": []}}
