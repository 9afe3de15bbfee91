"""Records of the practices' id routes for api/tests/test_outsiders.py: a practice of 恒东社区 held at 正定镇, with
a photo, all of 正定县's subtree (the county next door must get 404 for each)."""

from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def records(*, county, village, chair, cadre) -> dict:
    from fulian.portal import practices

    photo = SimpleUploadedFile("活动.png", PNG, content_type="image/png")
    practice = practices.practice_save(actor=cadre, unit=village, title="妇女议事会", body="每月一次", photos=[photo])
    practices.practice_submit(actor=cadre, practice=practice)
    return {"practice_id": practice.pk, "practice_photo_id": practice.photos.get().pk}
