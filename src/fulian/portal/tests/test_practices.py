"""典型做法 from the outside: a village's practice passed level by level to the province and published on the portal
after the publishing review; the county next door sees none of it; a returned practice is edited and submitted
again; a bad photo keeps the text; stale and repeated actions are conflicts; figures, export, audit."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fulian.accounts.tests.factories import UserFactory
from fulian.core.audit import AuditEvent
from fulian.core.figures import figure_values, period_of
from fulian.core.policy import Role
from fulian.portal import practices
from fulian.portal.models import Article, ArticleStatus, Practice, PracticeAction, PracticeStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def png(name="活动.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def people(unit, village_cadre, county_chair, province_chair, sibling_county_cadre):
    return {
        "village": village_cadre,
        "township": UserFactory(username="township-chair", unit=unit("正定镇"), roles=[Role.CHAIR]),
        "county": county_chair,
        "city": UserFactory(username="city-chair", unit=unit("石家庄市"), roles=[Role.CHAIR]),
        "province": province_chair,
        "reviewer": UserFactory(username="province-vice", unit=unit("河北省"), roles=[Role.VICE_CHAIR]),
        "sibling": sibling_county_cadre,
    }


def _post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _write_and_submit(client, title="妇女议事会每月一议", photos=()):
    answer = client.post(reverse("practice_new"), {"title": title, "body": "村妇联每月组织妇女议事。\n<b>不是标签</b>",
                                                   "photos": list(photos), "submit": "1"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Practice.objects.get(title=title)


def test_a_village_practice_passed_up_to_the_province_is_published_on_the_portal_after_review(
        people, unit, client_for, api_for):
    village = client_for(people["village"])
    practice = _write_and_submit(village, photos=[png(), png("second.jpg", JPG)])
    assert practice.status == PracticeStatus.HELD and practice.holder == unit("正定镇")
    assert practice.photos.count() == 2

    # the township sees it in 收到的典型做法 and on 今日工作, and passes it up with a comment
    township = client_for(people["township"])
    queue = township.get(reverse("practice_list")).content.decode()
    assert "收到的典型做法 (1)" in queue and "妇女议事会每月一议" in queue
    assert "妇女议事会每月一议" in township.get(reverse("today")).content.decode()
    answer = township.post(reverse("practice_pass_up", args=[practice.pk]),
                           {"comment": "建议推广", "version": practice.version})
    assert answer.status_code == 302
    # the county through the API, the city on the page
    county_api = api_for(people["county"])
    received = county_api.get("/api/v1/practices?box=received").json()
    assert [row["id"] for row in received["items"]] == [practice.pk]
    version = received["items"][0]["version"]
    answer = _post_json(county_api, f"/api/v1/practices/{practice.pk}/pass-up", {"version": version})
    assert answer.status_code == 200 and answer.json()["holder_id"] == unit("石家庄市").pk
    practice.refresh_from_db()
    client_for(people["city"]).post(reverse("practice_pass_up", args=[practice.pk]), {"version": practice.version})
    practice.refresh_from_db()
    assert practice.holder == unit("河北省")

    # the province publishes it in 典型做法: an article of the province in the publishing review
    province = client_for(people["province"])
    page = province.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    assert "送发布审核" in page and reverse("practice_pass_up", args=[practice.pk]) not in page  # no parent
    province.post(reverse("practice_publish", args=[practice.pk]), {"category": "practice",
                                                                    "version": practice.version})
    practice.refresh_from_db()
    article = practice.article
    assert practice.status == PracticeStatus.REVIEW and article.status == ArticleStatus.REVIEW
    assert article.unit == unit("河北省") and article.category == "practice"
    assert client_for(people["village"]).get(reverse("news_detail", args=[article.pk])).status_code == 404
    photo = practice.photos.first()
    assert village.get(reverse("practice_photo_public", args=[photo.pk])).status_code == 404  # not yet public

    # the review: the province chair sent it, so another leader approves
    assert province.post(reverse("publish_detail", args=[article.pk]), {"action": "publish"}).status_code == 302
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.REVIEW
    client_for(people["reviewer"]).post(reverse("publish_detail", args=[article.pk]), {"action": "publish"})
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED and practice.published_at is not None

    # the public pages: the article with its photos, escaped, lazy-loaded; the column lists it
    anonymous = type(village)()
    public = anonymous.get(reverse("news_detail", args=[article.pk])).content.decode()
    assert "妇女议事会每月一议" in public and "&lt;b&gt;不是标签&lt;/b&gt;" in public and "<b>不是标签" not in public
    assert "恒东社区妇联报送" in public
    for p in practice.photos.all():
        assert f'src="{reverse("practice_photo_public", args=[p.pk])}"' in public
    assert public.count('loading="lazy"') >= 2
    image = anonymous.get(reverse("practice_photo_public", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] in ("image/png", "image/jpeg")
    assert b"".join(image.streaming_content).startswith(PNG[:8]) or photo.content_type == "image/jpeg"
    assert "妇女议事会每月一议" in anonymous.get(reverse("news_list", args=["practice"])).content.decode()

    # the village sees 已发布 with the link; the trail names every level
    page = village.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    assert "已发布" in page and reverse("news_detail", args=[article.pk]) in page
    steps = list(practice.steps.values_list("action", "unit__name"))
    assert steps == [(PracticeAction.SUBMIT, "恒东社区"), (PracticeAction.PASS_UP, "正定镇"),
                     (PracticeAction.PASS_UP, "正定县"), (PracticeAction.PASS_UP, "石家庄市"),
                     (PracticeAction.PUBLISH, "河北省"), (PracticeAction.PUBLISHED, "河北省")]
    assert "建议推广" in page

    # figures: submitted and published at the village, passed up at the three units that passed it
    month = period_of(timezone.now())
    keys = ["practices_submitted", "practices_passed_up", "practices_published"]
    values = figure_values([unit("河北省").pk, unit("正定县").pk, unit("恒东社区").pk], keys, start=month, end=month)
    assert values[unit("河北省").pk] == {"practices_submitted": 1, "practices_passed_up": 3, "practices_published": 1}
    assert values[unit("正定县").pk]["practices_passed_up"] == 2  # the county and its township
    assert values[unit("恒东社区").pk]["practices_passed_up"] == 0
    recount = io.StringIO()
    call_command("indicators_recount", stdout=recount)  # exits non-zero on any difference
    assert " 0 differ" in recount.getvalue()
    actions = set(AuditEvent.objects.filter(action__startswith="practice.").values_list("action", flat=True))
    assert {"practice.create", "practice.submit", "practice.pass_up", "practice.publish",
            "practice.published"} <= actions

    # the county next door sees none of it: pages, photos, API, lists
    sibling, sibling_api = client_for(people["sibling"]), api_for(people["sibling"])
    for name in ("practice_detail", "practice_edit"):
        assert sibling.get(reverse(name, args=[practice.pk])).status_code == 404
    for name in ("practice_submit", "practice_pass_up", "practice_return", "practice_publish"):
        assert sibling.post(reverse(name, args=[practice.pk]), {"note": "x", "category": "practice"}).status_code == 404
    assert sibling.get(reverse("practice_photo", args=[photo.pk])).status_code == 404
    assert sibling_api.get(f"/api/v1/practices/{practice.pk}").status_code == 404
    assert sibling_api.get(f"/api/v1/practices/{practice.pk}/photos/{photo.pk}").status_code == 404
    assert _post_json(sibling_api, f"/api/v1/practices/{practice.pk}/pass-up", {}).status_code == 404
    assert sibling_api.get("/api/v1/practices?box=all").json()["count"] == 0
    assert "妇女议事会每月一议" not in sibling.get(reverse("practice_list") + "?box=all").content.decode()


def test_a_returned_practice_is_edited_and_submitted_again(people, unit, client_for):
    village = client_for(people["village"])
    practice = _write_and_submit(village)
    township = client_for(people["township"])
    assert township.post(reverse("practice_return", args=[practice.pk]), {"note": "", "version": practice.version}
                         ).status_code == 302
    assert Practice.objects.get(pk=practice.pk).status == PracticeStatus.HELD  # a return needs a note
    township.post(reverse("practice_return", args=[practice.pk]), {"note": "请补充参与人数和成效",
                                                                   "version": practice.version})
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED and practice.holder is None
    assert practices.practices_for(people["township"], box="received").count() == 0

    form = village.get(reverse("practice_edit", args=[practice.pk])).content.decode()
    assert "请补充参与人数和成效" in form
    answer = village.post(reverse("practice_edit", args=[practice.pk]), {
        "title": "妇女议事会每月一议", "body": "每月一议，全年参与妇女 300 人次。", "version": practice.version,
        "photos": [png()], "submit": "1"})
    assert answer.status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.HELD and practice.holder == unit("正定镇") and practice.note == ""
    assert "300 人次" in practice.body and practice.photos.count() == 1
    assert list(practice.steps.values_list("action", flat=True)) == ["submit", "return", "submit"]
    # submitted: no more editing
    assert village.post(reverse("practice_edit", args=[practice.pk]), {"title": "x", "body": "y"}).status_code == 302
    assert Practice.objects.get(pk=practice.pk).title == "妇女议事会每月一议"


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("照片.png", b"#!/bin/sh\necho hi\n", content_type="image/png"), "类型不对"),
    (SimpleUploadedFile("说明.pdf", b"%PDF-1.4 x", content_type="application/pdf"), "类型不对"),
    (SimpleUploadedFile("大照片.png", PNG + b"\x00" * 4096, content_type="image/png"), "太大"),
])
def test_a_bad_photo_gets_a_clear_message_and_the_text_is_kept(people, client_for, settings, upload, message):
    settings.ATTACHMENT_MAX_BYTES = 2048
    village = client_for(people["village"])
    answer = village.post(reverse("practice_new"), {"title": "巾帼志愿服务队", "body": "一支十八人的队伍",
                                                    "photos": [upload], "submit": "1"})
    page = answer.content.decode()
    assert answer.status_code == 200 and message in page
    assert 'value="巾帼志愿服务队"' in page and "一支十八人的队伍</textarea>" in page
    assert not Practice.objects.exists()


def test_seven_photos_are_refused(people, client_for):
    answer = client_for(people["village"]).post(reverse("practice_new"), {
        "title": "t", "body": "b", "photos": [png(f"{i}.png") for i in range(7)]})
    assert "照片最多6张" in answer.content.decode() and not Practice.objects.exists()


def test_double_submit_and_stale_actions_are_conflicts(people, unit, api_for):
    village_api = api_for(people["village"])
    made = _post_json(village_api, "/api/v1/practices", {"title": "儿童之家", "body": "暑期托管"})
    assert made.status_code == 201 and made.json()["status"] == "draft"
    practice_id, version = made.json()["id"], made.json()["version"]
    upload = village_api.post(f"/api/v1/practices/{practice_id}/photos", {"photo": png()})
    assert upload.status_code == 201 and len(upload.json()["photos"]) == 1
    bad = village_api.post(f"/api/v1/practices/{practice_id}/photos",
                           {"photo": SimpleUploadedFile("x.png", b"not an image")})
    assert bad.status_code == 400 and "类型不对" in bad.json()["detail"]
    assert village_api.post(f"/api/v1/practices/{practice_id}/photos", {}).status_code == 400
    version = upload.json()["version"]
    assert _post_json(village_api, f"/api/v1/practices/{practice_id}/submit", {"version": version - 1}
                      ).status_code == 409
    assert _post_json(village_api, f"/api/v1/practices/{practice_id}/submit", {"version": version}).status_code == 200
    again = _post_json(village_api, f"/api/v1/practices/{practice_id}/submit", {})
    assert again.status_code == 409 and "已经报送" in again.json()["detail"]
    assert Practice.objects.get(pk=practice_id).steps.count() == 1

    township_api = api_for(people["township"])
    current = township_api.get(f"/api/v1/practices/{practice_id}").json()
    assert current["may_decide"] is True and current["photos"][0]["content_type"] == "image/png"
    image = township_api.get(f"/api/v1/practices/{practice_id}/photos/{current['photos'][0]['id']}")
    assert image.status_code == 200 and b"".join(image.streaming_content).startswith(PNG[:8])
    assert _post_json(township_api, f"/api/v1/practices/{practice_id}/pass-up", {"version": current["version"]}
                      ).status_code == 200
    stale = _post_json(township_api, f"/api/v1/practices/{practice_id}/return",
                       {"version": current["version"], "note": "x"})
    assert stale.status_code == 409
    # a cadre of the holding county without a leader's role sees it but does not decide
    county_staff = UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])
    staff_api = api_for(county_staff)
    assert staff_api.get(f"/api/v1/practices/{practice_id}").json()["may_decide"] is False
    refused = _post_json(staff_api, f"/api/v1/practices/{practice_id}/publish", {"category": "practice"})
    assert refused.status_code == 400 and "主席" in refused.json()["detail"]
    bad_box = village_api.get("/api/v1/practices?box=nope")
    assert bad_box.status_code == 400
    mine = village_api.get("/api/v1/practices?box=mine").json()
    assert [row["id"] for row in mine["items"]] == [practice_id]


def test_the_province_cannot_pass_up_and_publishing_needs_a_known_column(people, unit):
    practice = practices.practice_save(actor=people["province"], unit=unit("石家庄市"), title="t", body="b")
    practices.practice_submit(actor=people["province"], practice=practice)
    from django.core.exceptions import ValidationError

    practice.refresh_from_db()
    assert practice.holder == unit("河北省")
    with pytest.raises(ValidationError, match="最高一级"):
        practices.practice_pass_up(actor=people["province"], practice=practice)
    with pytest.raises(ValidationError, match="改革信息台"):
        practices.practice_publish(actor=people["province"], practice=practice, category="notice")
    practices.practice_publish(actor=people["province"], practice=practice, category="bulletin")
    practice.refresh_from_db()
    assert practice.article.category == "bulletin"


def test_the_practices_list_exports_to_excel_with_an_audit_row(people, client_for):
    village = client_for(people["village"])
    _write_and_submit(village, title="家庭教育讲座")
    answer = client_for(people["county"]).get(reverse("practice_export") + "?box=all")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content) if answer.streaming else answer.content)
                          ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位代码", "报送单位", "标题") and rows[1][2] == "家庭教育讲座"
    assert rows[1][4] == "正定镇"
    assert AuditEvent.objects.filter(action="practice.export").exists()
    sibling = client_for(people["sibling"]).get(reverse("practice_export") + "?box=all")
    content = b"".join(sibling.streaming_content) if sibling.streaming else sibling.content
    assert len(list(load_workbook(io.BytesIO(content)).active.iter_rows())) == 1


def test_the_publishing_list_shows_other_apps_sections(people, client_for, monkeypatch):
    from fulian.core import panels

    monkeypatch.setitem(panels._panels, "publish_list", [])
    panels.panel_register("publish_list", order=1, template="portal/_practices_panel.html",
                          context=lambda request, obj: {"title": "快速通道声明", "rows": []})
    page = client_for(people["county"]).get(reverse("publish_list")).content.decode()
    assert "快速通道声明" in page


def test_a_village_cadres_pages_stay_light(people, client_for):
    village = client_for(people["village"])
    practice = _write_and_submit(village, photos=[png()])
    for url in (reverse("practice_new"), reverse("practice_list"), reverse("practice_detail", args=[practice.pk])):
        answer = village.get(url)
        assert answer.status_code == 200 and len(answer.content) < 70_000


def test_a_photo_is_removed_from_a_draft_and_its_file_goes_too(people, client_for, django_capture_on_commit_callbacks):
    village = client_for(people["village"])
    village.post(reverse("practice_new"), {"title": "草稿", "body": "b", "photos": [png()]})
    practice = Practice.objects.get(title="草稿")
    photo = practice.photos.get()
    storage, name = photo.file.storage, photo.file.name
    assert storage.exists(name)
    assert practice in practices.practices_for(people["county"], box="all")
    assert practice not in practices.practices_for(people["township"], box="received")  # a draft is not sent
    with django_capture_on_commit_callbacks(execute=True):
        answer = village.post(reverse("practice_photo_remove", args=[practice.pk, photo.pk]))
    assert answer.status_code == 302 and not practice.photos.exists() and not storage.exists(name)


def test_a_double_click_on_submit_writes_one_practice(people, client_for, api_for):
    village = client_for(people["village"])
    token = village.get(reverse("practice_new")).content.decode().split('name="client_token" value="')[1][:32]
    form = {"title": "四点半课堂", "body": "放学后托管", "client_token": token, "submit": "1"}
    first, second = village.post(reverse("practice_new"), form), village.post(reverse("practice_new"), form)
    practice = Practice.objects.get()
    assert first["Location"] == second["Location"] == reverse("practice_detail", args=[practice.pk])
    assert practice.status == PracticeStatus.HELD and practice.steps.count() == 1
    other = client_for(people["county"]).post(reverse("practice_new"), form)
    assert "已经用过" in other.content.decode() and Practice.objects.count() == 1
    body = {"title": "儿童之家", "body": "暑期托管", "client_token": "api-1"}
    api = api_for(people["village"])
    ids = {_post_json(api, "/api/v1/practices", body).json()["id"] for _ in range(2)}
    assert len(ids) == 1 and Practice.objects.count() == 2


def test_a_practice_the_review_sends_back_is_held_again_and_can_go_on(people, unit, client_for):
    """The publishing review sends the article back: the practice is held again at the unit that chose to publish
    it, with the review's note on its page, and can be passed up and published — on one article, not a second."""
    from fulian.portal import services

    practice = practices.practice_save(actor=people["village"], unit=unit("恒东社区"), title="议事会", body="b")
    practices.practice_submit(actor=people["village"], practice=practice)
    practice.refresh_from_db()
    practices.practice_publish(actor=people["township"], practice=practice, category="practice")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.REVIEW
    services.article_review(actor=people["county"], article=practice.article, approve=False, note="请补充成效数据")
    practice.refresh_from_db()
    assert (practice.status, practice.holder, practice.note) == (PracticeStatus.HELD, unit("正定镇"), "请补充成效数据")
    assert practice.steps.order_by("-pk").first().action == PracticeAction.REJECTED
    page = client_for(people["township"]).get(reverse("practice_detail", args=[practice.pk])).content.decode()
    assert "请补充成效数据" in page and reverse("practice_pass_up", args=[practice.pk]) in page

    practices.practice_pass_up(actor=people["township"], practice=practice)
    practice.refresh_from_db()
    practices.practice_publish(actor=people["county"], practice=practice, category="practice")
    practice.refresh_from_db()
    assert practice.article.unit == unit("正定县") and practice.article.status == ArticleStatus.REVIEW
    services.article_review(actor=people["city"], article=practice.article, approve=True)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED and Article.objects.filter(title="议事会").count() == 1
