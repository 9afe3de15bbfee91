"""Attachments (a task's documents, a report's optional photo): a size limit and a content check by the file's
first bytes, not its name, so a script renamed .pdf is refused before anything is stored."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# kind -> (content type, how the file starts)
SIGNATURES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "webp": ("image/webp", (b"RIFF",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
DOCUMENTS = ("pdf", "jpg", "png", "webp", "docx", "xlsx")
PHOTOS = ("jpg", "png", "webp")


def attachment_check(upload, *, kinds=DOCUMENTS) -> str:
    """The upload's content type if it is one of `kinds` (by extension and by its first bytes) and within
    ATTACHMENT_MAX_BYTES; else a ValidationError that says what is allowed."""
    limit = settings.ATTACHMENT_MAX_BYTES
    allowed = "、".join(kinds)
    if upload.size > limit:
        raise ValidationError(_("文件“%(name)s”太大：上限 %(mb)d MB。") % {"name": upload.name[:80],
                                                                       "mb": limit // 2**20}, code="too_big")
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    extension = "jpg" if extension == "jpeg" else extension
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension not in kinds or not any(head.startswith(s) for s in SIGNATURES[extension][1]) or (
            extension == "webp" and head[8:12] != b"WEBP"):
        raise ValidationError(_("文件“%(name)s”的类型不对：只能上传 %(kinds)s 文件。") % {"name": upload.name[:80],
                                                                                 "kinds": allowed}, code="bad_type")
    return SIGNATURES[extension][0]
