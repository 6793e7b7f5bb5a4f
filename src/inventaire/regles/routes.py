"""HTTP routes of the consumption rules (the office's)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from inventaire.catalogue import service as catalogue
from inventaire.deps import AdminUser, SessionDep
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.schemas import PersonText
from inventaire.regles import service
from inventaire.regles.schemas import RuleCreate, RuleRead, RuleUpdate

router = APIRouter(prefix="/regles", tags=["règles"])
IdPath = Path(description="Numéro de la règle", ge=1, le=2_147_483_647)


@router.get("", summary="Lister les règles de consommation", response_model=list[RuleRead])
def list_rules(
    db_session: SessionDep, _: AdminUser, service_id: Annotated[Annotated[str, PersonText(60)] | None, Query()] = None,
) -> list[RuleRead]:
    return [RuleRead.of(r) for r in service.list_rules(db_session=db_session, service_id=service_id)]


@router.post("", summary="Créer une règle de consommation",
             response_model=RuleRead, status_code=201, responses={**NOT_FOUND, **CONFLICT})
def create_rule(body: RuleCreate, db_session: SessionDep, _: AdminUser) -> RuleRead:
    product = catalogue.get_or_404(db_session=db_session, code_produit=body.code_produit)
    rule = service.create(
        db_session=db_session, service_id=body.service_id, product=product, quantite=body.quantite,
        service_nom=body.service_nom, notes=body.notes,
    )
    return RuleRead.of(rule)


@router.put("/{rule_id}", summary="Modifier une règle de consommation",
            response_model=RuleRead, responses={**NOT_FOUND, **CONFLICT})
def update_rule(body: RuleUpdate, db_session: SessionDep, _: AdminUser, rule_id: int = IdPath) -> RuleRead:
    rule = service.get_or_404(db_session=db_session, rule_id=rule_id)
    return RuleRead.of(service.update(db_session=db_session, rule=rule, changes=body.model_dump(exclude_unset=True)))


@router.delete("/{rule_id}", summary="Supprimer une règle de consommation", response_model=RuleRead, responses=NOT_FOUND)
def delete_rule(db_session: SessionDep, _: AdminUser, rule_id: int = IdPath) -> RuleRead:
    """Remove the rule and answer it as it was; what it deducted stays."""
    rule = service.get_or_404(db_session=db_session, rule_id=rule_id)
    removed = RuleRead.of(rule)
    service.delete(db_session=db_session, rule=rule)
    return removed
