"""典型做法 passed upward: the same selectors and services as the pages (portal.practices). Photos are uploaded
one request per photo (multipart, field `photo`) and read back through the scoped photo route."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import paginate

from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id, unit_home_for
from fulian.portal import practices

from .openapi import download
from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_practices import (
    PassUpIn,
    PracticeEditIn,
    PracticeIn,
    PracticeOut,
    PracticeRowOut,
    PublishIn,
    ReturnIn,
    VersionIn,
)

router = Router(tags=["practices"])


def _out(request, practice):
    """The practice as PracticeOut, with what the caller may do with it."""
    practice = practices.access_practice_by_id(request.auth, practice.pk)
    practice.may_edit = practices.may_edit(request.auth, practice)
    practice.may_decide = practices.may_decide(request.auth, practice)
    return practice


@router.get("/practices", response=list[PracticeRowOut])
@paginate(CappedPagination)
def practices_list(request, box: str = "all"):
    """received: held by your unit now (收到的典型做法); mine: written by your unit; all: your scope's."""
    if box not in practices.BOXES:
        raise ValidationError(_("box 只能是 received、mine 或 all。"))
    return practices.practices_for(request.auth, box=box)


@router.post("/practices", response={201: PracticeOut, 400: ErrorOut, 404: ErrorOut})
def practice_create(request, payload: PracticeIn):
    """A draft at your unit (or `unit_id` where you may edit); add photos, then submit."""
    if payload.unit_id:
        unit = access_unit_by_id(request.auth, payload.unit_id, need=Action.EDIT)
    else:
        unit = unit_home_for(request.auth)
        if unit is None:
            raise Http404("unit")
    practice = practices.practice_save(actor=request.auth, unit=unit, title=payload.title, body=payload.body,
                                       client_token=payload.client_token)
    return Status(201, _out(request, practice))


@router.get("/practices/{practice_id}", response={200: PracticeOut, 404: ErrorOut})
def practice_get(request, practice_id: int):
    return _out(request, practices.access_practice_by_id(request.auth, practice_id))


@router.put("/practices/{practice_id}", response={200: PracticeOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def practice_edit(request, practice_id: int, payload: PracticeEditIn):
    """Edit a draft or a returned practice (409 once submitted, or for a stale version)."""
    practice = practices.access_practice_by_id(request.auth, practice_id, need=Action.EDIT)
    practice = practices.practice_save(actor=request.auth, practice=practice, title=payload.title,
                                       body=payload.body, version=payload.version)
    return _out(request, practice)


@router.post("/practices/{practice_id}/photos", response={201: PracticeOut, 400: ErrorOut, 404: ErrorOut,
                                                           409: ErrorOut})
def practice_photo_add(request, practice_id: int, photo: UploadedFile | None = File(None)):  # noqa: B008  (ninja declares files so)
    """One photo (jpg, png or webp; 6 at most) to a draft or returned practice (multipart, field `photo`)."""
    practice = practices.access_practice_by_id(request.auth, practice_id, need=Action.EDIT)
    if photo is None:
        raise ValidationError(_("请选择一张照片。"))
    practice = practices.practice_save(actor=request.auth, practice=practice, title=practice.title,
                                       body=practice.body, photos=[photo])
    return Status(201, _out(request, practice))


@router.get("/practices/{practice_id}/photos/{practice_photo_id}", response={404: ErrorOut},
            openapi_extra=download("image/*", description="The photo (jpg, png or webp)"))
def practice_photo_get(request, practice_id: int, practice_photo_id: int):
    practice = practices.access_practice_by_id(request.auth, practice_id)
    photo = practices.access_practice_photo_by_id(request.auth, practice_photo_id)
    if photo.practice_id != practice.pk:
        raise Http404("photo")
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


@router.delete("/practices/{practice_id}/photos/{practice_photo_id}", response={204: None, 404: ErrorOut,
                                                                               409: ErrorOut})
def practice_photo_remove(request, practice_id: int, practice_photo_id: int):
    practice = practices.access_practice_by_id(request.auth, practice_id, need=Action.EDIT)
    photo = practices.access_practice_photo_by_id(request.auth, practice_photo_id)
    if photo.practice_id != practice.pk:
        raise Http404("photo")
    practices.practice_photo_remove(actor=request.auth, photo=photo)
    return Status(204, None)


@router.post("/practices/{practice_id}/submit", response={200: PracticeOut, 400: ErrorOut, 404: ErrorOut,
                                                           409: ErrorOut})
def practice_submit(request, practice_id: int, payload: VersionIn):
    """报送 to the parent unit (again after a return); a second submit answers 409."""
    practice = practices.access_practice_by_id(request.auth, practice_id, need=Action.EDIT)
    return _out(request, practices.practice_submit(actor=request.auth, practice=practice, version=payload.version))


@router.post("/practices/{practice_id}/pass-up", response={200: PracticeOut, 400: ErrorOut, 404: ErrorOut,
                                                            409: ErrorOut})
def practice_pass_up(request, practice_id: int, payload: PassUpIn):
    """上报 to the holding unit's parent (a chair or vice-chair of the holding unit or above)."""
    practice = practices.access_practice_by_id(request.auth, practice_id)
    return _out(request, practices.practice_pass_up(actor=request.auth, practice=practice, comment=payload.comment,
                                                    version=payload.version))


@router.post("/practices/{practice_id}/return", response={200: PracticeOut, 400: ErrorOut, 404: ErrorOut,
                                                           409: ErrorOut})
def practice_return(request, practice_id: int, payload: ReturnIn):
    """退回 to the writing unit with a note."""
    practice = practices.access_practice_by_id(request.auth, practice_id)
    return _out(request, practices.practice_return(actor=request.auth, practice=practice, note=payload.note,
                                                   version=payload.version))


@router.post("/practices/{practice_id}/publish", response={200: PracticeOut, 400: ErrorOut, 404: ErrorOut,
                                                            409: ErrorOut})
def practice_publish(request, practice_id: int, payload: PublishIn):
    """An article of the holding unit (典型做法 or 改革信息台) sent to the publishing review (POST
    /articles/{article_id}/review by a chair or vice-chair who did not send it)."""
    practice = practices.access_practice_by_id(request.auth, practice_id)
    return _out(request, practices.practice_publish(actor=request.auth, practice=practice,
                                                    category=payload.category, comment=payload.comment,
                                                    version=payload.version))
