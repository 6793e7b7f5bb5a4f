"""HTTP routes of the company's name and address (the office's)."""

from fastapi import APIRouter

from inventaire.deps import AdminUser, SessionDep, SettingsDep
from inventaire.entreprise import service
from inventaire.entreprise.schemas import CompanyRead, CompanyWrite

router = APIRouter(prefix="/entreprise", tags=["entreprise"])


def _read(identity: service.Identity) -> CompanyRead:
    return CompanyRead(nom=identity.nom, adresse=list(identity.adresse), telephone=identity.telephone,
                       courriel=identity.courriel, enregistree=identity.enregistree)


@router.get("", summary="Nom et adresse de l'entreprise", response_model=CompanyRead)
def get_company(db_session: SessionDep, settings: SettingsDep, _: AdminUser) -> CompanyRead:
    """What the supplier orders print: the stored identity, else the settings' defaults."""
    return _read(service.identity(db_session=db_session, settings=settings))


@router.put("", summary="Enregistrer le nom et l'adresse de l'entreprise", response_model=CompanyRead)
def put_company(body: CompanyWrite, db_session: SessionDep, settings: SettingsDep, _: AdminUser) -> CompanyRead:
    """Replace the whole identity (a field left out is emptied); the audit trail keeps the change."""
    service.save(db_session=db_session, data=body.model_dump())
    return _read(service.identity(db_session=db_session, settings=settings))
