"""API shapes of a supplier order, its reception and the order suggestion."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from inventaire.commandes.models import Order, OrderLine
from inventaire.commandes.suggestion import SuggestedLine, Suggestion
from inventaire.kit.enums import OrderState
from inventaire.kit.schemas import Code, DecimalOut, MoneyIn, Name, NonNegativeQuantityIn, PersonText, Timestamp, not_nullable
from inventaire.stock.schemas import TransactionRead

Supplier = Annotated[str, PersonText(120), Field(examples=["Röslau"])]
PositiveQuantity = Annotated[NonNegativeQuantityIn, Field(json_schema_extra={"exclusiveMinimum": 0})]
LINES_MAX = 500


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code_produit: Code
    quantite: PositiveQuantity
    prix_unitaire: MoneyIn = Field(description="Prix unitaire convenu avec le fournisseur (coût)")


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "fournisseur": "Röslau", "atelier": "Atelier",
        "lignes": [{"code_produit": "CORD-012", "quantite": 6, "prix_unitaire": 18.5}]}]})

    fournisseur: Supplier
    atelier: Name
    lignes: list[OrderLineIn] = Field(min_length=1, max_length=LINES_MAX)


class OrderUpdate(BaseModel):
    """Les champs donnés changent ; `lignes`, si elle est donnée, remplace toutes les lignes du brouillon."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=not_nullable("fournisseur", "atelier", "lignes"))

    fournisseur: Supplier | None = None
    atelier: Name | None = None
    lignes: list[OrderLineIn] | None = Field(default=None, min_length=1, max_length=LINES_MAX)


class ReceivedLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code_produit: Code
    quantite: PositiveQuantity


class ReceiveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"lignes": [{"code_produit": "CORD-012", "quantite": 4}]}]})

    lignes: list[ReceivedLineIn] = Field(min_length=1, max_length=LINES_MAX)


class OrderLineRead(BaseModel):
    code_produit: str
    nom_produit: str
    unite: str
    quantite: DecimalOut = Field(description="Quantité commandée")
    quantite_recue: DecimalOut
    reste: DecimalOut = Field(description="Ce que le fournisseur doit encore livrer")
    prix_unitaire: DecimalOut
    total: DecimalOut = Field(description="quantite × prix_unitaire, 2 décimales")

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineRead:
        product = line.produit
        return cls(code_produit=product.code_produit, nom_produit=product.nom_produit, unite=product.unite,
                   quantite=line.quantite, quantite_recue=line.quantite_recue, reste=line.reste,
                   prix_unitaire=line.prix_unitaire, total=line.total)


class OrderRead(BaseModel):
    id: int
    numero: str = Field(examples=["CMD-2026-0001"])
    fournisseur: str
    atelier: str
    statut: OrderState
    auteur: str
    created_at: Timestamp
    updated_at: Timestamp
    envoyee_le: Timestamp | None
    recue_le: Timestamp | None
    annulee_le: Timestamp | None
    courriel_envoye: bool = Field(description="Vrai : la commande a été envoyée par courriel au fournisseur")
    courriel_envoye_le: Timestamp | None
    courriel_destinataires: str | None = Field(description="Le fournisseur, puis le bureau en copie")
    courriel_erreur: str | None = Field(description="L'erreur du dernier envoi par courriel qui a échoué")
    total: DecimalOut = Field(description="Σ des totaux des lignes, 2 décimales")
    lignes: list[OrderLineRead]

    @classmethod
    def of(cls, order: Order) -> OrderRead:
        return cls(id=order.id, numero=order.numero, fournisseur=order.fournisseur, atelier=order.atelier.nom,
                   statut=OrderState(order.statut), auteur=order.auteur, created_at=order.created_at,
                   updated_at=order.updated_at, envoyee_le=order.envoyee_le, recue_le=order.recue_le,
                   annulee_le=order.annulee_le, courriel_envoye=order.courriel_envoye_le is not None,
                   courriel_envoye_le=order.courriel_envoye_le, courriel_destinataires=order.courriel_destinataires,
                   courriel_erreur=order.courriel_erreur, total=order.total, lignes=[OrderLineRead.of(x) for x in order.lignes])


class ReceivedRead(OrderRead):
    mouvements: list[TransactionRead] = Field(description="Les réceptions écrites dans l'atelier, une par ligne reçue")


class SuggestedLineRead(BaseModel):
    code_produit: str
    nom_produit: str
    unite: str
    manque_par: DecimalOut = Field(description="Ce qui manque aux véhicules actifs pour atteindre leur niveau par")
    demandes: DecimalOut = Field(description="Demandes ouvertes des véhicules")
    prevision: DecimalOut = Field(description="Consommation prévue (toute l'entreprise) sur `jours_couverts`")
    demande_pls: DecimalOut = Field(description="Dans `prevision` : les pièces des pianos dont l'entretien PLS "
                                                "arrive (ou est en retard) sur `jours_couverts`")
    demande_reservee: DecimalOut = Field(description="Dans `prevision` : ce que les rendez-vous réservés prennent "
                                                     "au-delà du rythme, les jours réservés compris dans `jours_couverts` "
                                                     "(chacun compte le plus grand des deux)")
    jours_couverts: int = Field(description="Jours jusqu'à la prochaine commande + délai de livraison du fournisseur")
    reserve_atelier: DecimalOut = Field(description="Ce que l'atelier garde pour lui : le niveau par de sa ligne, sinon "
                                                    "juste au-dessus de son seuil (seuil + 1, ou + 0,1 au détail)")
    stock_atelier: DecimalOut
    en_commande: DecimalOut = Field(description="Reste à livrer des commandes envoyées vers cet atelier")
    a_commander: DecimalOut = Field(description="manque_par + demandes + prevision + reserve_atelier − stock de "
                                                "l'atelier − en commande, arrondi vers le haut")
    prix_unitaire: DecimalOut
    total: DecimalOut

    @classmethod
    def of(cls, line: SuggestedLine) -> SuggestedLineRead:
        p = line.product
        return cls(code_produit=p.code_produit, nom_produit=p.nom_produit, unite=p.unite, manque_par=line.manque_par,
                   demandes=line.demandes, prevision=line.prevision, jours_couverts=line.jours_couverts,
                   demande_pls=line.demande_pls, demande_reservee=line.demande_reservee,
                   reserve_atelier=line.reserve_atelier, stock_atelier=line.stock_atelier,
                   en_commande=line.en_commande, a_commander=line.a_commander, prix_unitaire=p.prix_unitaire,
                   total=line.total)


class SupplierSuggestionRead(BaseModel):
    fournisseur: str
    delai_livraison_jours: int | None = Field(description="Délai de livraison du fournisseur (vide : inconnu, compté 0)")
    minimum_commande: DecimalOut | None
    sous_le_minimum: bool = Field(description="Le total n'atteint pas le minimum de commande du fournisseur")
    total: DecimalOut
    lignes: list[SuggestedLineRead]


class SuggestionRead(BaseModel):
    atelier: str
    delai_jours: int = Field(description="Jours jusqu'à la prochaine commande (INVENTAIRE_DELAI_COMMANDE_JOURS)")
    generated_at: Timestamp
    fournisseurs: list[SupplierSuggestionRead]
    sans_fournisseur: list[SuggestedLineRead] = Field(description="Produits à commander qui n'ont pas de fournisseur")

    @classmethod
    def of(cls, suggestion: Suggestion) -> SuggestionRead:
        return cls(
            atelier=suggestion.atelier.nom, delai_jours=suggestion.delai_jours, generated_at=suggestion.generated_at,
            fournisseurs=[SupplierSuggestionRead(
                fournisseur=s.fournisseur, total=s.total, lignes=[SuggestedLineRead.of(x) for x in s.lignes],
                delai_livraison_jours=s.supplier.delai_jours if s.supplier else None,
                minimum_commande=s.supplier.minimum_commande if s.supplier else None, sous_le_minimum=s.sous_le_minimum)
                          for s in suggestion.fournisseurs],
            sans_fournisseur=[SuggestedLineRead.of(x) for x in suggestion.sans_fournisseur],
        )
