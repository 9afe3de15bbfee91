import datetime as dt
import time
from typing import Literal

from django.core import signing
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from fulian.cases import services as case_services
from fulian.cases.models import CaseKind, CaseStatus
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id
from fulian.portal import selectors, services
from fulian.portal.models import ArticleStatus, Category, WomanAccount
from fulian.portal.services import CHANNELS

from .auth import count_bad_token
from .schemas import ErrorOut, enum_of

router = Router(tags=["publishing"])
public_router = Router(tags=["public"])
TOKEN_SALT = "fulian.woman-token"  # noqa: S105  (a signing salt name, not a secret)
TOKEN_DAYS = 30


class WomanTokenAuth(HttpBearer):
    """`Authorization: Bearer wm_…` from POST /public/me/token (30 days)."""

    def authenticate(self, request, token):
        if not token.startswith("wm_"):
            return None
        try:
            payload = signing.loads(token[3:], salt=TOKEN_SALT, max_age=TOKEN_DAYS * 86400)
            account_id, issued = int(payload["a"]), float(payload["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            count_bad_token(request)
            return None
        account = WomanAccount.objects.filter(pk=account_id).first()
        if account is None or (account.tokens_valid_after and issued < account.tokens_valid_after.timestamp()):
            count_bad_token(request)
            return None
        return account


class ArticleOut(Schema):
    id: int
    category: enum_of(Category)
    title: str
    body: str
    issuer: str
    unit_id: int
    status: enum_of(ArticleStatus)
    published_at: dt.datetime | None


class ArticleIn(Schema):
    category: enum_of(Category) = Field(
        description="bulletin (改革信息台), practice (典型做法), notice (通知公告), policy (政策法规)"
    )
    title: str
    body: str
    issuer: str = ""
    channels: list[Literal[tuple(CHANNELS)]] = Field(default_factory=list, description="where it is pushed when "
                                                                                     "published")


class ReviewIn(Schema):
    approve: bool
    note: str = ""


class PhoneIn(Schema):
    phone: str


class CodeIn(Schema):
    phone: str
    code: str


class TokenOut(Schema):
    token: str
    expires_in_days: int


class MyCaseOut(Schema):
    tracking_code: str
    kind: enum_of(CaseKind)
    status: enum_of(CaseStatus)
    created_at: dt.datetime


def _mine(request, article_id, need=Action.VIEW):
    return selectors.access_article_by_id(request.auth, article_id, need=need)


@public_router.get("/public/articles", response=list[ArticleOut], auth=None)
def public_articles_list(request, category: enum_of(Category, blank=True) = "", q: str = ""):
    """Published pieces, newest first; `q` searches title, text and issuing body (the policy library)."""
    return list(selectors.articles_published(category=category, q=q)[:100])


@public_router.get("/public/articles/{article_id}", response={200: ArticleOut, 404: ErrorOut}, auth=None)
def public_article_get(request, article_id: int):
    return selectors.article_published(article_id)


@public_router.post("/public/me/code", response={204: None, 400: ErrorOut}, auth=None)
def public_me_code_request(request, payload: PhoneIn):
    """Send a one-time code to her phone (by SMS through the outbox)."""
    services.code_request(phone=payload.phone)
    return Status(204, None)


@public_router.post("/public/me/token", response={200: TokenOut, 400: ErrorOut}, auth=None)
def public_me_token(request, payload: CodeIn):
    account = services.code_verify(phone=payload.phone, code=payload.code)
    token = "wm_" + signing.dumps({"a": account.pk, "t": time.time()}, salt=TOKEN_SALT)
    return {"token": token, "expires_in_days": TOKEN_DAYS}


@public_router.post("/public/me/signout", response={204: None}, auth=WomanTokenAuth())
def public_me_signout(request):
    """Sign out on every device: all her app tokens stop working."""
    services.account_signout_everywhere(account=request.auth)
    return Status(204, None)


@public_router.get("/public/me/cases", response=list[MyCaseOut], auth=WomanTokenAuth())
def public_me_cases(request):
    """Her own requests (made while signed in)."""
    return list(request.auth.cases.order_by("-created_at"))


class LinkIn(Schema):
    tracking_code: str = Field(max_length=40, description="the code she was given (case, spaces and dashes ignored)")


@public_router.post("/public/me/cases", response={201: MyCaseOut, 400: ErrorOut}, auth=WomanTokenAuth())
def public_me_case_link(request, payload: LinkIn):
    """Show one of her requests in 我的 by its tracking code (linked by what she holds, never by her number)."""
    return Status(201, case_services.case_link_account(tracking=payload.tracking_code, account=request.auth))


@public_router.delete("/public/me/cases/{code}", response={204: None}, auth=WomanTokenAuth())
def public_me_case_unlink(request, code: str):
    """Take a request out of 我的; the request itself stays with the federation."""
    case_services.case_unlink_account(account=request.auth, tracking=code)
    return Status(204, None)


@public_router.delete("/public/me", response={204: None}, auth=WomanTokenAuth())
def public_me_delete(request):
    """PIPL: delete her account; her requests stay with the federation, no longer linked to her."""
    services.account_delete(account=request.auth)
    return Status(204, None)


@router.get("/articles", response=list[ArticleOut])
def articles_list(request, status: enum_of(ArticleStatus, blank=True) = ""):
    return list(selectors.articles_for(request.auth, status=status).order_by("-id")[:200])


@router.post("/units/{unit_id}/articles", response={201: ArticleOut, 400: ErrorOut, 404: ErrorOut})
def article_create(request, unit_id: int, payload: ArticleIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, services.article_save(actor=request.auth, unit=unit, **payload.dict()))


@router.post("/articles/{article_id}/submit", response={200: ArticleOut, 400: ErrorOut, 404: ErrorOut})
def article_submit(request, article_id: int):
    return services.article_submit(actor=request.auth, article=_mine(request, article_id, Action.EDIT))


@router.post("/articles/{article_id}/review", response={200: ArticleOut, 400: ErrorOut, 404: ErrorOut})
def article_review(request, article_id: int, payload: ReviewIn):
    """Chairs and vice-chairs publish (pushing to the chosen channels) or send back with a note."""
    return services.article_review(
        actor=request.auth, article=_mine(request, article_id), approve=payload.approve, note=payload.note
    )
