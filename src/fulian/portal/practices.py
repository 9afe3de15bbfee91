"""典型做法 passed upward: a unit writes a practice with photos and submits it to its parent; the level holding it
passes it up, returns it with a note, or publishes it as a portal article through the publishing review
(article_save + article_submit; a leader approves with article_review). Reads are scoped by the origin unit's path,
so the origin and every unit above it see the practice and a sibling sees nothing. Every step is kept (the trail),
audited, and counted in the figures (submitted, passed up, published)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.access import access_by_id
from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.policy import Action, OutOfScope, allows, may_act_for_unit, may_issue_work, require, scope_q
from fulian.core.uploads import PHOTOS, attachment_check
from fulian.core.writes import write_later, write_path

from . import services
from .models import (
    Article,
    ArticleStatus,
    Category,
    Practice,
    PracticeAction,
    PracticePhoto,
    PracticeStatus,
    PracticeStep,
)

MAX_PHOTOS = 6
PUBLISH_CATEGORIES = (Category.PRACTICE, Category.BULLETIN)
EDITABLE = (PracticeStatus.DRAFT, PracticeStatus.RETURNED)


# reads


def _rows():
    return Practice.objects.select_related("unit", "holder", "article", "author")


def access_practice_by_id(user, practice_id, *, need: str = Action.VIEW) -> Practice:
    """A practice of her unit or of a unit below hers (404 for a sibling, as for one that does not exist)."""
    return access_by_id(user, Practice, practice_id, need=need, queryset=_rows())


def access_practice_photo_by_id(user, photo_id) -> PracticePhoto:
    return access_by_id(user, PracticePhoto, photo_id, path_field="practice.unit_path",
                        queryset=PracticePhoto.objects.select_related("practice"))


def practice_photo_public(photo_id) -> PracticePhoto:
    """A photo of a practice whose article is published (the public article page); 404 otherwise, whoever asks."""
    try:
        photo = PracticePhoto.objects.filter(pk=int(photo_id), practice__article__status=ArticleStatus.PUBLISHED
                                             ).first()
    except (TypeError, ValueError, OverflowError):
        photo = None
    if photo is None:
        raise Http404("photo")
    return photo


def photos_of_article(article) -> list[PracticePhoto]:
    """The photos shown on a published article's public page (those of the practice it was made from)."""
    if article.status != ArticleStatus.PUBLISHED:
        return []
    return list(PracticePhoto.objects.filter(practice__article=article))


BOXES = ("received", "mine", "all")


def practices_for(user, *, box: str = "all"):
    """received: held by her unit now (收到的典型做法); mine: written by her unit; all: her scope's."""
    rows = _rows().filter(scope_q(user, field="unit_path"))
    unit_id = getattr(user, "unit_id", None)
    if box == "received":
        return rows.filter(holder_id=unit_id, status=PracticeStatus.HELD) if unit_id else rows.none()
    if box == "mine":
        return rows.filter(unit_id=unit_id) if unit_id else rows.none()
    return rows


def practices_received_count(user) -> int:
    return practices_for(user, box="received").count()


def may_edit(user, practice: Practice) -> bool:
    """The origin unit's cadres edit and submit while it is a draft or returned."""
    return practice.status in EDITABLE and may_act_for_unit(user, practice.unit_path)


def may_decide(user, practice: Practice) -> bool:
    """Pass up, return or publish: a leader of the holding unit (or above), as for issuing work (core.policy)."""
    return (practice.status == PracticeStatus.HELD and practice.holder is not None
            and may_issue_work(user, practice.holder.path))


def trail(practice: Practice):
    return practice.steps.select_related("unit", "to_unit", "actor")


def stage_label(practice: Practice) -> str:
    """What the list and the page show: 已发布 only once the article is out; where it is while held."""
    if practice.status == PracticeStatus.HELD and practice.holder is not None:
        return _("待%(unit)s处理") % {"unit": practice.holder.name}
    if practice.article_id and practice.article.status == ArticleStatus.PUBLISHED:
        return str(PracticeStatus.PUBLISHED.label)
    if practice.status == PracticeStatus.PUBLISHED:
        return str(ArticleStatus(practice.article.status).label)
    return str(practice.get_status_display())


# writes


def _check_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ValidationError(_("请填写标题和正文。"), code="practice_blank")
    if len(title) > 120:
        raise ValidationError(_("标题不能超过120个字。"), code="practice_title_long")
    if len(body) > 20000:
        raise ValidationError(_("正文不能超过20000个字。"), code="practice_body_long")
    return title, body


def _check_photos(photos, *, already: int) -> list[str]:
    photos = [p for p in photos if p is not None]
    if already + len(photos) > MAX_PHOTOS:
        raise ValidationError(_("照片最多%(n)d张。") % {"n": MAX_PHOTOS}, code="practice_photos_many")
    return [attachment_check(p, kinds=PHOTOS) for p in photos]


def _locked(practice: Practice, version: int | None) -> Practice:
    current = Practice.objects.select_for_update(of=("self",)).select_related("unit", "holder").get(pk=practice.pk)
    if version is not None and version != current.version:
        raise Conflict(_("这条典型做法已被他人处理或修改，请刷新后再试。"), code="practice_stale")
    return current


def _bump(practice: Practice, now, **values) -> None:
    values = {"version": practice.version + 1, "updated_at": now, **values}
    Practice.objects.filter(pk=practice.pk).update(**values)
    for key, value in values.items():
        setattr(practice, key, value)


def _step(practice, *, action, unit, actor, now, to_unit=None, comment: str = "") -> None:
    write_later(PracticeStep(practice=practice, action=action, unit=unit, unit_path=unit.path, to_unit=to_unit,
                             actor=actor, at=now, comment=(comment or "").strip()[:500]))


def practice_save(*, actor, unit=None, title: str, body: str, photos=(), practice: Practice | None = None,
                  version: int | None = None, client_token: str | None = None, now=None) -> Practice:
    """Write a practice at `unit` (new) or edit one that is a draft or was returned; photos are added (6 at most,
    images only). A bad photo saves nothing. A new one's `client_token` seen before returns the practice it made
    (a double click writes one practice)."""
    now = now or timezone.now()
    client_token = (client_token or "").strip()[:40] or None
    if practice is None and client_token:
        made = _rows().filter(client_token=client_token).first()
        if made is not None:
            if made.author_id != actor.pk:
                raise Conflict(_("这个提交编号已经用过，请刷新页面后重新填写。"), code="practice_token_reused")
            return made
    title, body = _check_text(title, body)
    target = practice.unit if practice is not None else unit
    require(actor, Action.EDIT, target.path)
    already = practice.photos.count() if practice is not None else 0
    photos = [p for p in photos if p is not None]
    types = _check_photos(photos, already=already)
    with write_path():
        if practice is None:
            practice = Practice.objects.create(unit=unit, unit_path=unit.path, title=title, body=body, author=actor,
                                               client_token=client_token, created_at=now, updated_at=now)
            audit_record(actor=actor, action="practice.create", obj=practice, now=now)
        else:
            practice = _locked(practice, version)
            if practice.status not in EDITABLE:
                raise Conflict(_("已报送的典型做法不能修改。"), code="practice_not_editable")
            _bump(practice, now, title=title, body=body)
            audit_record(actor=actor, action="practice.update", obj=practice, now=now)
        for upload, content_type in zip(photos, types, strict=True):
            PracticePhoto.objects.create(practice=practice, file=upload, name=upload.name[:200], size=upload.size,
                                         content_type=content_type, uploaded_by=actor, uploaded_at=now)
    return practice


def practice_photo_remove(*, actor, photo: PracticePhoto, now=None) -> None:
    practice = photo.practice
    require(actor, Action.EDIT, practice.unit_path)
    if practice.status not in EDITABLE:
        raise Conflict(_("已报送的典型做法不能修改。"), code="practice_not_editable")
    with write_path():
        audit_record(actor=actor, action="practice.photo_remove", obj=practice, changes={"photo": photo.name},
                     now=now)
        name = photo.file.name
        photo.delete()
        # the file goes once the row is gone for good (a rolled-back removal keeps both)
        transaction.on_commit(lambda: PracticePhoto.file.field.storage.delete(name))


def practice_submit(*, actor, practice: Practice, version: int | None = None, now=None) -> Practice:
    """报送 to the parent unit (again, after a return). Submitting twice answers a conflict."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, practice.unit_path):
        raise OutOfScope("not her unit")
    with write_path():
        practice = _locked(practice, version)
        if practice.status not in EDITABLE:
            raise Conflict(_("这条典型做法已经报送。"), code="practice_submitted")
        parent = practice.unit.parent
        if parent is None:
            raise ValidationError(_("省级单位没有上级，请直接在信息发布中发布。"), code="practice_no_parent")
        first = practice.submitted_at is None
        _bump(practice, now, status=PracticeStatus.HELD, holder=parent, note="",
              submitted_at=practice.submitted_at or now)
        _step(practice, action=PracticeAction.SUBMIT, unit=practice.unit, to_unit=parent, actor=actor, now=now)
        audit_record(actor=actor, action="practice.submit", obj=practice, changes={"to": parent.code}, now=now)
        if first:
            figures_add([(practice.unit_path, period_of(now), "practices_submitted", 1)])
    return practice


def _decide(actor, practice, version):
    practice = _locked(practice, version)
    if practice.status != PracticeStatus.HELD:
        raise Conflict(_("这条典型做法已经处理过了。"), code="practice_decided")
    if not allows(actor, Action.VIEW, practice.unit_path):
        raise OutOfScope("out of scope")
    if not may_issue_work(actor, practice.holder.path):
        raise ValidationError(_("上报、退回或发布需要本级（或上级）妇联主席、副主席决定。"), code="practice_not_leader")
    return practice


def practice_pass_up(*, actor, practice: Practice, comment: str = "", version: int | None = None,
                     now=None) -> Practice:
    """上报: the holding unit sends it on to its own parent, with an optional comment."""
    now = now or timezone.now()
    with write_path():
        practice = _decide(actor, practice, version)
        holder = practice.holder
        parent = holder.parent
        if parent is None:
            raise ValidationError(_("已经是最高一级，请选择发布或退回。"), code="practice_top")
        _bump(practice, now, holder=parent)
        _step(practice, action=PracticeAction.PASS_UP, unit=holder, to_unit=parent, actor=actor, now=now,
              comment=comment)
        audit_record(actor=actor, action="practice.pass_up", obj=practice, changes={"from": holder.code,
                                                                                   "to": parent.code}, now=now)
        figures_add([(holder.path, period_of(now), "practices_passed_up", 1)])
    return practice


def practice_return(*, actor, practice: Practice, note: str, version: int | None = None, now=None) -> Practice:
    """退回 to the origin unit with a note; it can be edited and submitted again."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写退回意见。"), code="practice_note_blank")
    with write_path():
        practice = _decide(actor, practice, version)
        holder = practice.holder
        _bump(practice, now, status=PracticeStatus.RETURNED, holder=None, note=note[:500])
        _step(practice, action=PracticeAction.RETURN, unit=holder, to_unit=practice.unit, actor=actor, now=now,
              comment=note)
        audit_record(actor=actor, action="practice.return", obj=practice, changes={"at": holder.code}, now=now)
    return practice


def practice_publish(*, actor, practice: Practice, category: str, comment: str = "", version: int | None = None,
                     now=None) -> Practice:
    """发布: an article of the holding unit in 典型做法 or 改革信息台, sent to the publishing review (a chair or
    vice-chair of that unit or above approves it, never its author)."""
    now = now or timezone.now()
    if category not in PUBLISH_CATEGORIES:
        raise ValidationError(_("请选择发布到“典型做法”或“改革信息台”。"), code="practice_category")
    with write_path():
        practice = _decide(actor, practice, version)
        holder = practice.holder
        source = _("（%(unit)s报送）") % {"unit": practice.unit.federation_name}
        # sent back by the review before: its draft article is sent again (one article per practice)
        again = practice.article if practice.article_id else None
        if again is not None and again.unit_id != holder.pk:  # passed up after the review sent it back
            Article.objects.filter(pk=again.pk).update(unit=holder, unit_path=holder.path)
            again.refresh_from_db()
        article = services.article_save(actor=actor, unit=holder, title=practice.title,
                                        body=f"{practice.body}\n\n{source}", category=category, article=again)
        services.article_submit(actor=actor, article=article)
        _bump(practice, now, status=PracticeStatus.REVIEW, article=article)
        _step(practice, action=PracticeAction.PUBLISH, unit=holder, actor=actor, now=now, comment=comment)
        audit_record(actor=actor, action="practice.publish", obj=practice, changes={"article": article.pk}, now=now)
    return practice


def practice_article_published(*, actor, article, now) -> None:
    """Called by article_review when it publishes: the practice behind the article (if any) is 已发布, counted once."""
    practice = Practice.objects.filter(article=article).select_related("unit").first()
    if practice is None or practice.published_at is not None:
        return
    _bump(practice, now, status=PracticeStatus.PUBLISHED, published_at=now)
    _step(practice, action=PracticeAction.PUBLISHED, unit=article.unit, actor=actor, now=now)
    audit_record(actor=actor, action="practice.published", obj=practice, changes={"article": article.pk}, now=now)
    figures_add([(practice.unit_path, period_of(now), "practices_published", 1)])


def practice_article_returned(*, actor, article, note: str, now) -> None:
    """Called by article_review when it sends an article back: the practice behind it (if any) is held again by the
    unit that chose to publish it, with the review's note, so its leader can publish it again, pass it up or return
    it — it never stays 发布审核中 with no way on."""
    practice = Practice.objects.filter(article=article, status=PracticeStatus.REVIEW).select_related("holder").first()
    if practice is None:
        return
    _bump(practice, now, status=PracticeStatus.HELD, note=(note or "").strip()[:500])
    _step(practice, action=PracticeAction.REJECTED, unit=article.unit, actor=actor, now=now, comment=note)
    audit_record(actor=actor, action="practice.review_returned", obj=practice, changes={"article": article.pk},
                 now=now)
