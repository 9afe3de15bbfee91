from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from fulian.accounts import selectors, services
from fulian.core.policy import Action, Role
from fulian.orgs.selectors import unit_by_code_for

from .pagination import CappedPagination
from .schemas import ErrorOut, enum_of

router = Router(tags=["accounts"])


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    phone: str
    unit_code: str | None = Field(None, alias="unit.code")
    roles: list[enum_of(Role)]
    is_active: bool


class AccountIn(Schema):
    full_name: str = Field(max_length=60)
    phone: str = Field("", max_length=20)
    unit_code: str = Field(description="12-digit code of her unit; a move ends her links to women and her cases",
                           pattern=r"^[0-9]{12}$")
    roles: list[enum_of(Role)]
    is_active: bool = True


class PasswordIn(Schema):
    password: str = Field(max_length=128)


@router.get("/accounts", response=list[AccountOut])
@paginate(CappedPagination)
def accounts_list(request):
    """Cadre accounts of the units whose accounts you manage."""
    return selectors.accounts_for(request.auth)


@router.put("/accounts/{account_id}", response={200: AccountOut, 400: ErrorOut, 404: ErrorOut})
def account_update(request, account_id: int, payload: AccountIn):
    account = selectors.access_account_by_id(request.auth, account_id)
    unit = unit_by_code_for(request.auth, payload.unit_code, need=Action.MANAGE_ACCOUNTS)
    if unit is None:
        raise Http404("unit")
    return services.account_update(actor=request.auth, account=account, unit=unit, roles=payload.roles,
                                   is_active=payload.is_active, full_name=payload.full_name, phone=payload.phone)


@router.post("/accounts/{account_id}/password", response={204: None, 400: ErrorOut, 404: ErrorOut})
def account_password_set(request, account_id: int, payload: PasswordIn):
    """Set a new password for her; every API token of hers is revoked."""
    account = selectors.access_account_by_id(request.auth, account_id)
    services.account_set_password(actor=request.auth, account=account, password=payload.password)
    return Status(204, None)


@router.post("/me/tokens/revoke-all", response={204: None}, tags=["account"])
def my_tokens_revoke(request):
    """Revoke every API token of yours (including the one making this call)."""
    services.tokens_revoke_all(user=request.auth)
    return Status(204, None)
