"""« Modifications », for the office: the audit trail (who changed what, when), newest first."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from inventaire.audit import service as audit
from inventaire.deps import SessionDep
from inventaire.kit.enums import AuditAction, OrderState
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 50
FIELD_LABELS = {
    "code_produit": "code", "nom_produit": "nom", "categorie": "catégorie", "unite": "unité",
    "prix_unitaire": "coût", "prix_vente": "prix de vente", "fournisseur": "fournisseur",
    "seuil_reorder": "seuil du produit", "actif": "actif", "nom": "nom", "email": "courriel",
    "gazelle_id": "utilisateur Gazelle", "seuil_min": "seuil de la ligne", "niveau_par": "niveau de remplissage",
    "role": "rôle", "revoked_at": "révoqué le", "service_id": "service", "service_nom": "nom du service",
    "quantite": "quantité", "notes": "notes", "statut": "état", "atelier": "atelier",
}
# Stored values shown by their label (an order's state: « envoyee » reads « Envoyée »).
VALUE_LABELS = {"statut": {s.value: s.label for s in OrderState}}


@router.get("/modifications")
def audit_page(request: Request, db_session: SessionDep, viewer: AdminPage,
               action: AuditAction | None = None, objet: str = Query("", max_length=120),
               page: int = Query(1, ge=1, le=100_000)) -> Response:
    rows, total = audit.list_entries(db_session=db_session, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                     action=action.value if action else None, objet=objet.strip() or None)
    return render(request, "modifications.html", viewer=viewer, nav="modifications", lignes=rows, total=total,
                  page=page, pages=max(1, -(-total // PAGE_SIZE)), actions=AuditAction.labels(), champs=FIELD_LABELS,
                  valeurs=VALUE_LABELS,
                  filtre_action=action.value if action else "", filtre_objet=objet)
