import datetime as dt

import pytest
from django.urls import reverse

from fulian.core.models import ReadLog
from fulian.people.models import Woman
from fulian.people.services import WomanData, woman_create

from .helpers import female_id, read_xlsx, roster_bytes, row


@pytest.fixture
def register(tree):
    from fulian.core.idnumber import parse_id_number

    def make(name, unit, n, phone="", actor=None, **extra):
        data = WomanData(name=name, home_unit=unit, id_number=parse_id_number(female_id(n)), phone=phone, **extra)
        return woman_create(actor=actor, data=data)

    return make


@pytest.fixture
def women(register, unit):
    return {
        "hd": register("王秀兰", unit("恒东社区"), 1, phone="13812340001"),
        "zjz": register("李春梅", unit("张家庄村"), 2, phone="13812340002"),
        "xbt": register("赵小红", unit("西柏棠村"), 3),
        "ng": register("孙丽", unit("南关村"), 4, phone="13912345678"),
    }


def names(response):
    return {w.name for w in response.context["page"].object_list}


@pytest.mark.django_db
def test_each_cadre_lists_only_women_of_her_subtree(client_for, county_chair, village_cadre, sibling_county_cadre,
                                                    women):
    assert names(client_for(county_chair).get(reverse("women_list"))) == {"王秀兰", "李春梅", "赵小红"}
    assert names(client_for(village_cadre).get(reverse("women_list"))) == {"王秀兰"}
    assert names(client_for(sibling_county_cadre).get(reverse("women_list"))) == {"孙丽"}


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["孙丽", "sl", "sunli", female_id(4)[-4:], "13912345678", "5678", female_id(4)])
def test_village_cadre_cannot_find_a_woman_of_another_village_by_any_search(client_for, village_cadre,
                                                                             sibling_county_cadre, women, q):
    assert names(client_for(sibling_county_cadre).get(reverse("women_list"), {"q": q})) == {"孙丽"}
    assert names(client_for(village_cadre).get(reverse("women_list"), {"q": q})) == set()


@pytest.mark.django_db
def test_search_by_pinyin_initials_last_four_and_phone(client_for, county_chair, women):
    client = client_for(county_chair)
    assert names(client.get(reverse("women_list"), {"q": "lcm"})) == {"李春梅"}
    assert names(client.get(reverse("women_list"), {"q": female_id(3)[-4:]})) == {"赵小红"}
    assert names(client.get(reverse("women_list"), {"q": "13812340001"})) == {"王秀兰"}
    assert names(client.get(reverse("women_list"), {"q": "秀"})) == {"王秀兰"}


@pytest.mark.django_db
def test_another_villages_woman_is_404_on_every_page(client_for, village_cadre, women):
    client = client_for(village_cadre)
    other = women["zjz"].pk
    for name in ("woman_detail", "woman_edit", "contact_new"):
        assert client.get(reverse(name, args=[other])).status_code == 404, name
    assert client.post(reverse("woman_reveal_id", args=[other])).status_code == 404


@pytest.mark.django_db
def test_export_holds_only_her_scope_with_masked_ids_and_is_audited(client_for, village_cadre, women):
    from fulian.core.models import AuditEvent

    response = client_for(village_cadre).post(reverse("women_export"))
    rows = read_xlsx(response.content)
    assert [r[0] for r in rows[1:]] == ["王秀兰"]
    assert rows[1][1] == female_id(1)[:3] + "*" * 11 + female_id(1)[-4:]
    assert female_id(1) not in str(rows)
    assert AuditEvent.objects.filter(action="woman.export", actor=village_cadre).exists()


@pytest.mark.django_db
def test_list_shows_masked_ids_and_reveal_is_read_logged(client_for, village_cadre, women):
    client = client_for(village_cadre)
    page = client.get(reverse("women_list")).content.decode()
    assert female_id(1) not in page and women["hd"].id_masked in page
    revealed = client.post(reverse("woman_reveal_id", args=[women["hd"].pk]))
    assert female_id(1) in revealed.content.decode()
    log = ReadLog.objects.get()
    assert (log.actor, log.object_id) == (village_cadre, str(women["hd"].pk))


@pytest.mark.django_db
def test_a_volunteer_cannot_reveal_the_full_id_number(client_for, unit, women):
    from fulian.accounts.tests.factories import UserFactory

    volunteer = UserFactory(unit=unit("恒东社区"), roles=["volunteer"])
    assert client_for(volunteer).post(reverse("woman_reveal_id", args=[women["hd"].pk])).status_code == 404
    assert not ReadLog.objects.exists()


@pytest.mark.django_db
def test_registering_the_same_id_again_finds_the_first_record(client_for, village_cadre, women):
    response = client_for(village_cadre).post(reverse("woman_new"), {
        "name": "王秀兰", "id_number": female_id(1), "unit_code": "130123100001"})
    assert response.status_code == 200
    assert response.context["existing"] == women["hd"]
    assert "已经登记过了" in response.content.decode()
    assert Woman.objects.filter(name="王秀兰").count() == 1


@pytest.mark.django_db
def test_registering_with_a_wrong_id_number_says_why_and_keeps_what_she_typed(client_for, village_cadre, tree):
    bad = female_id(5)[:17] + ("0" if female_id(5)[17] != "0" else "1")
    response = client_for(village_cadre).post(reverse("woman_new"), {
        "name": "周玉", "id_number": bad, "phone": "13800001111", "unit_code": "130123100001"})
    html = response.content.decode()
    assert response.status_code == 200 and "逐位核对全部18位" in html
    assert 'value="13800001111"' in html and 'value="周玉"' in html
    assert not Woman.objects.exists()


@pytest.mark.django_db
def test_register_a_woman_with_a_15_digit_legacy_id(client_for, village_cadre, tree):
    response = client_for(village_cadre).post(reverse("woman_new"), {
        "name": "周玉", "id_number": "130123900307004", "unit_code": "130123100001", "tags": ["poor"]})
    woman = Woman.objects.get()
    assert response.status_code == 302
    assert woman.birth_date == dt.date(1990, 3, 7) and woman.id_last4 == female_id(2)[-4:]


@pytest.mark.django_db
def test_two_cadres_editing_one_record_the_later_save_gets_a_conflict(client_for, village_cadre, county_chair,
                                                                      women):
    woman = women["hd"]
    form = {"name": "王秀兰", "unit_code": "130123100001", "version": woman.version}
    first = client_for(county_chair).post(reverse("woman_edit", args=[woman.pk]), {**form, "phone": "13811110000"})
    assert first.status_code == 302
    second = client_for(village_cadre).post(reverse("woman_edit", args=[woman.pk]), {**form, "phone": "13822220000"})
    assert second.status_code == 409
    assert "刚被其他人修改过" in second.content.decode()
    woman.refresh_from_db()
    assert woman.phone == "13811110000" and woman.version == 2


@pytest.mark.django_db
def test_import_through_the_page_runs_in_the_background_and_offers_the_error_file(
        client_for, county_chair, tree, django_capture_on_commit_callbacks):
    content = roster_bytes([row(name="甲", id_number=female_id(11)), row(name="", id_number=female_id(12))])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(county_chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("women_import"), {"file": SimpleUploadedFile("名册.xlsx", content)})
    job_url = response["Location"]
    page = client.get(job_url)
    job = page.context["job"]
    assert (job.status, job.created_count, job.error_count) == ("done", 1, 1)
    errors = read_xlsx(b"".join(client.get(reverse("import_job_errors", args=[job.pk])).streaming_content))
    assert errors[0][:4] == ("行号", "列", "填写的内容", "问题")
    assert errors[1][0] == 3 and errors[1][1] == "姓名" and errors[1][3] == "姓名为空。"
    assert client.get(job_url, HTTP_HX_REQUEST="true").templates[0].name == "core/_import_progress.html"


@pytest.mark.django_db
def test_import_jobs_are_private_to_their_uploader(client_for, county_chair, province_chair, tree,
                                                   django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(county_chair).post(reverse("women_import"), {
            "file": SimpleUploadedFile("a.xlsx", roster_bytes([row(name="")]))})
    job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert client_for(province_chair).get(reverse("import_job_detail", args=[job_id])).status_code == 404
    assert client_for(province_chair).get(reverse("import_job_errors", args=[job_id])).status_code == 404


@pytest.mark.django_db
def test_a_file_that_is_not_a_roster_is_refused_with_a_reason(client_for, county_chair, tree,
                                                              django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fulian.core.models import ImportJob

    client = client_for(county_chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("women_import"), {"file": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert response.status_code == 200 and ".xlsx" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_template_download_has_the_header_and_text_id_column(client_for, village_cadre):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(village_cadre).get(reverse("women_template"))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["姓名*", "身份证号*", "手机号", "村(社区)代码*"]
    assert sheet["B3"].number_format == "@"


@pytest.mark.django_db
def test_merge_joins_two_records_and_keeps_both_histories(client_for, county_chair, register, unit):
    from fulian.contacts.services import contact_log_create

    today = dt.date(2026, 11, 25)
    a = register("周红", unit("恒东社区"), 20, phone="13800002222")
    b = Woman.objects.create(name="周红", phone="13800002222", home_unit=unit("恒东社区"),
                             unit_path=unit("恒东社区").path)
    contact_log_create(actor=county_chair, woman=a, contacted_on=today, channel="phone", today=today)
    contact_log_create(actor=county_chair, woman=b, contacted_on=today - dt.timedelta(days=3), channel="wechat",
                       today=today)
    client = client_for(county_chair)
    groups = client.get(reverse("women_duplicates")).context["groups"]
    assert [len(g["women"]) for g in groups] == [2]
    client.post(reverse("women_merge"), {"survivor": a.pk, "duplicate": b.pk})
    b.refresh_from_db()
    assert b.merged_into == a
    assert a.contact_logs.count() == 2
    assert names(client.get(reverse("women_list"), {"q": "周红"})) == {"周红"}
    assert len(client.get(reverse("women_list"), {"q": "周红"}).context["page"].object_list) == 1


@pytest.mark.django_db
def test_an_export_too_big_for_excel_asks_for_a_filter(client_for, county_chair, women, monkeypatch):
    from fulian.people import exports

    monkeypatch.setattr(exports, "EXPORT_MAX_ROWS", 2)
    response = client_for(county_chair).post(reverse("women_export"), follow=True)
    assert response.redirect_chain and "请先按地区或标签筛选" in response.content.decode()
    assert client_for(county_chair).post(reverse("women_export"), {"q": "王秀兰"}).status_code == 200


@pytest.mark.django_db
def test_when_she_moves_village_her_history_follows_her(client_for, county_chair, village_cadre, women, unit):
    from fulian.contacts.services import contact_log_create

    today = dt.date(2026, 11, 25)
    woman = women["hd"]
    contact_log_create(actor=village_cadre, woman=woman, contacted_on=today, channel="phone", today=today,
                       needs=[("health", "")])
    client_for(county_chair).post(reverse("woman_edit", args=[woman.pk]), {
        "name": "王秀兰", "unit_code": unit("张家庄村").code, "version": woman.version})
    page = client_for(village_cadre).get(reverse("women_list"))
    assert "王秀兰" not in {w.name for w in page.context["page"].object_list}
    zjz_cadre_logs = woman.contact_logs.values_list("unit_path", flat=True)
    assert set(zjz_cadre_logs) == {unit("张家庄村").path}
    assert set(woman.needs.values_list("unit_path", flat=True)) == {unit("张家庄村").path}
