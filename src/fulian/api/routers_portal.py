import datetime as dt
import time

from django.core import signing
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id
from fulian.portal import selectors, services
from fulian.portal.models import WomanAccount

from .auth import count_bad_token
from .schemas import ErrorOut

router = Router(tags=["publishing 信息发布"])
public_router = Router(tags=["public 公开"])
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
    category: str
    title: str
    body: str
    issuer: str
    unit_id: int
    status: str
    published_at: dt.datetime | None


class ArticleIn(Schema):
    category: str = Field(
        description="bulletin (改革信息台), practice (典型做法), notice (通知公告), policy (政策法规)"
    )
    title: str
    body: str
    issuer: str = ""
    channels: list[str] = Field(default_factory=list, description="wechat, weibo, app")


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
    kind: str
    status: str
    created_at: dt.datetime


def _mine(request, article_id, need=Action.VIEW):
    return selectors.access_article_by_id(request.auth, article_id, need=need)


@public_router.get("/public/articles", response=list[ArticleOut], auth=None)
def public_articles(request, category: str = "", q: str = ""):
    """Published pieces, newest first; `q` searches title, text and issuing body (the policy library)."""
    return list(selectors.articles_published(category=category, q=q)[:100])


@public_router.get("/public/articles/{article_id}", response={200: ArticleOut, 404: ErrorOut}, auth=None)
def public_article(request, article_id: int):
    return selectors.article_published(article_id)


@public_router.post("/public/me/code", response={204: None, 400: ErrorOut}, auth=None)
def request_code(request, payload: PhoneIn):
    """Send a one-time code to her phone (by SMS through the outbox)."""
    services.code_request(phone=payload.phone)
    return Status(204, None)


@public_router.post("/public/me/token", response={200: TokenOut, 400: ErrorOut}, auth=None)
def exchange_code(request, payload: CodeIn):
    account = services.code_verify(phone=payload.phone, code=payload.code)
    token = "wm_" + signing.dumps({"a": account.pk, "t": time.time()}, salt=TOKEN_SALT)
    return {"token": token, "expires_in_days": TOKEN_DAYS}


@public_router.post("/public/me/signout", response={204: None}, auth=WomanTokenAuth())
def signout_everywhere(request):
    """Sign out on every device: all her app tokens stop working."""
    services.account_signout_everywhere(account=request.auth)
    return Status(204, None)


@public_router.get("/public/me/cases", response=list[MyCaseOut], auth=WomanTokenAuth())
def my_cases(request):
    """Her own requests (made while signed in)."""
    return list(request.auth.cases.order_by("-created_at"))


@public_router.delete("/public/me", response={204: None}, auth=WomanTokenAuth())
def delete_me(request):
    """PIPL: delete her account; her requests stay with the federation, no longer linked to her."""
    services.account_delete(account=request.auth)
    return Status(204, None)


@router.get("/articles", response=list[ArticleOut])
def list_articles(request, status: str = ""):
    return list(selectors.articles_for(request.auth, status=status).order_by("-id")[:200])


@router.post("/units/{unit_id}/articles", response={201: ArticleOut, 400: ErrorOut, 404: ErrorOut})
def create_article(request, unit_id: int, payload: ArticleIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, services.article_save(actor=request.auth, unit=unit, **payload.dict()))


@router.post("/articles/{article_id}/submit", response={200: ArticleOut, 400: ErrorOut, 404: ErrorOut})
def submit_article(request, article_id: int):
    return services.article_submit(actor=request.auth, article=_mine(request, article_id, Action.EDIT))


@router.post("/articles/{article_id}/review", response={200: ArticleOut, 400: ErrorOut, 404: ErrorOut})
def review_article(request, article_id: int, payload: ReviewIn):
    """Chairs and vice-chairs publish (pushing to the chosen channels) or send back with a note."""
    return services.article_review(
        actor=request.auth, article=_mine(request, article_id), approve=payload.approve, note=payload.note
    )
