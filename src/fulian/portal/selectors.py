"""Reads of the portal: published pieces for everyone, the publishing desk scoped like everything else."""

from django.db.models import Q
from django.http import Http404

from fulian.core.access import access_by_id
from fulian.core.policy import Action, scope_q

from .models import Article, ArticleStatus


def articles_published(*, category: str = "", q: str = ""):
    """Published pieces, newest first; `q` searches title, text and issuing body (the policy library)."""
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("unit")
    if category:
        articles = articles.filter(category=category)
    q = (q or "").strip()
    if q:
        articles = articles.filter(Q(title__contains=q) | Q(body__contains=q) | Q(issuer__contains=q))
    return articles


def article_published(article_id) -> Article:
    """A published piece by id (public); 404 for drafts and pieces under review, whoever asks."""
    try:
        article = articles_published().filter(pk=int(article_id)).first()
    except (TypeError, ValueError, OverflowError):
        article = None
    if article is None:
        raise Http404("article")
    return article


def articles_for(user, *, status: str = ""):
    """The publishing desk: pieces of her scope."""
    articles = Article.objects.filter(scope_q(user, field="unit_path")).select_related("unit", "author")
    return articles.filter(status=status) if status else articles


def access_article_by_id(user, article_id, *, need: str = Action.VIEW) -> Article:
    return access_by_id(user, Article, article_id, need=need,
                        queryset=Article.objects.select_related("unit", "author", "reviewer"))
