"""API shape of a van's load list (CONTRACT: "Appointments and loading")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from inventaire.chargement.service import LoadList
from inventaire.kit.schemas import DecimalOut
from inventaire.rendezvous.schemas import AppointmentRead


class LoadLineRead(BaseModel):
    code_produit: str
    nom_produit: str
    requis: DecimalOut = Field(description="Σ des rendez-vous du jour : quantité réservée × quantité de la règle")
    en_stock: DecimalOut = Field(description="Dans le véhicule maintenant")
    demande_ouverte: DecimalOut = Field(description="Demandé par le véhicule, pas encore servi")
    a_charger: DecimalOut = Field(description="max(0, requis − en_stock − demande_ouverte)")


class UncoveredRead(BaseModel):
    service_id: str
    nom: str | None
    quantite: DecimalOut


class LoadListRead(BaseModel):
    technicien: str
    date: dt.date
    rendez_vous: list[AppointmentRead]
    lignes: list[LoadLineRead]
    sans_regle: list[UncoveredRead] = Field(description="Services réservés qu'aucune règle ne couvre")
    a_apporter: list[str] = Field(description="Les lignes « À apporter » des notes, telles qu'écrites")

    @classmethod
    def of(cls, load: LoadList, tz: ZoneInfo) -> LoadListRead:
        return cls(
            technicien=load.technician.nom, date=load.day,
            rendez_vous=[AppointmentRead.of(a, load.technician, tz) for a in load.appointments],
            lignes=[LoadLineRead(code_produit=line.product.code_produit, nom_produit=line.product.nom_produit,
                                 requis=line.requis, en_stock=line.en_stock, demande_ouverte=line.demande_ouverte,
                                 a_charger=line.a_charger) for line in load.lines],
            sans_regle=[UncoveredRead(service_id=u.service_id, nom=u.nom, quantite=u.quantite) for u in load.sans_regle],
            a_apporter=load.a_apporter,
        )
