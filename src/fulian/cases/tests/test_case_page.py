"""The case page on a phone: labelled sections, labelled 暂缓原因 / 办理结果, a 确认办结 step that holds without
JavaScript, 风险等级 as a choice, and the outcome the handler chose to tell the woman on her tracking page."""

import datetime as dt
import importlib
import json

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from fulian.cases import services
from fulian.cases.models import Case, CaseStatus, RiskLevel, TimelineEntry
from fulian.core.crypto import is_token
from fulian.core.fields import raw_values
from fulian.core.models import ReadLog

T0 = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
migration = importlib.import_module("fulian.cases.migrations.0004_risk_level_and_shared_outcome")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dv_case(tree, unit):
    return services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="丈夫动手打人",
                                source="hotline", contact={"name": "李女士", "phone": "13800001234"})


def close(client, case, **data):
    return client.post(reverse("case_action", args=[case.pk, "close"]), {"version": case.version, **data})


def test_the_page_has_labelled_sections_and_the_phone_is_tap_to_call(client_for, county_chair, dv_case):
    html = client_for(county_chair).get(reverse("case_detail", args=[dv_case.pk])).content.decode()
    for heading in ("基本情况", "办理记录", "操作", "记录办理情况", "暂缓", "办结"):
        assert f">{heading}</h" in html, heading
    assert '<a class="call" href="tel:13800001234">13800001234</a>' in html
    assert '<label for="id_reason">暂缓原因</label>' in html
    assert '<label for="id_outcome">办理结果（内部记录）</label>' in html
    assert '<label for="id_outcome_public">告知求助人的结果</label>' in html
    assert 'name="confirm"' in html and "required" in html.split('name="confirm"')[1].split(">")[0]
    assert '<select id="d-risk_level" name="detail_risk_level">' in html


def test_closing_without_the_confirm_tick_closes_nothing_and_keeps_what_she_wrote(client_for, county_chair,
                                                                                  dv_case):
    response = close(client_for(county_chair), dv_case, outcome="已申请保护令", outcome_public="保护令已批准")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请勾选“确认办结”" in html and "已申请保护令" in html and "保护令已批准" in html
    dv_case.refresh_from_db()
    assert dv_case.status == CaseStatus.NEW and dv_case.outcome == ""


def test_the_woman_sees_the_outcome_the_handler_chose_to_share_and_not_the_internal_one(client, client_for,
                                                                                       county_chair, dv_case):
    done = close(client_for(county_chair), dv_case, outcome="内部：对方有前科，已通报派出所", confirm="on",
                 outcome_public="已协助您申请人身安全保护令，法院已批准。")
    assert done.status_code == 302
    dv_case.refresh_from_db()
    assert dv_case.status == CaseStatus.CLOSED and dv_case.outcome_public.startswith("已协助")
    status = client.post(reverse("help_status"), {"code": dv_case.tracking_code}).content.decode()
    assert "已协助您申请人身安全保护令，法院已批准。" in status and "前科" not in status
    api = client.get(f"/api/v1/public/cases/{dv_case.tracking_code}").json()
    assert any("法院已批准" in e["text"] for e in api["events"])
    cadre_page = client_for(county_chair).get(reverse("case_detail", args=[dv_case.pk])).content.decode()
    assert "告知求助人的结果" in cadre_page and "法院已批准" in cadre_page and "前科" in cadre_page
    # sealed at rest (core.fields): the pages above read plain text, the database holds none of it
    (_pk, outcome, shared), = raw_values(Case, ["outcome", "outcome_public"]).filter(pk=dv_case.pk)
    notes = [text for _pk, text in raw_values(TimelineEntry, ["text"]).filter(case=dv_case) if text]
    assert "前科" not in outcome and "法院" not in shared and notes and not any("法院" in t for t in notes)
    assert all(map(is_token, [outcome, shared, *notes]))


def test_without_a_shared_outcome_she_sees_only_closed(client, client_for, county_chair, dv_case):
    close(client_for(county_chair), dv_case, outcome="调解成功", confirm="on")
    status = client.post(reverse("help_status"), {"code": dv_case.tracking_code}).content.decode()
    assert "已办结" in status and "调解成功" not in status


def test_every_read_of_the_case_is_logged_the_tracking_page_too(client, client_for, county_chair, dv_case):
    client_for(county_chair).get(reverse("case_detail", args=[dv_case.pk]))
    client.post(reverse("help_status"), {"code": dv_case.tracking_code})
    reads = ReadLog.objects.filter(object_type="cases.case", object_id=str(dv_case.pk))
    assert {(r.actor_label, r.purpose) for r in reads} == {("county-chair", "view"), ("anonymous", "tracking")}


def test_risk_level_is_a_choice_and_its_change_is_never_shown_to_her(client, client_for, county_chair, dv_case):
    chair = client_for(county_chair)
    chair.post(reverse("case_action", args=[dv_case.pk, "note"]),
               {"text": "已上门", "public": "on", "detail_risk_level": "high", "version": dv_case.version})
    dv_case.refresh_from_db()
    assert dv_case.risk_level == RiskLevel.HIGH
    assert "风险等级：高" in [e.text for e in dv_case.timeline.filter(is_public=False)]
    assert "风险" not in " ".join(e.text for e in dv_case.timeline.filter(is_public=True))
    refused = chair.post(reverse("case_action", args=[dv_case.pk, "note"]),
                         {"text": "x", "detail_risk_level": "很高", "version": dv_case.version}, follow=True)
    assert "风险等级只能是低、中、高" in refused.content.decode()
    dv_case.refresh_from_db()
    assert dv_case.risk_level == RiskLevel.HIGH
    services.case_note(actor=county_chair, case=dv_case, text="", details={"risk_level": "中"})  # older API clients
    assert Case.objects.get(pk=dv_case.pk).risk_level == RiskLevel.MEDIUM
    with pytest.raises(ValidationError):
        services.case_note(actor=county_chair, case=dv_case, text="", details={"risk_level": "严重"})


def test_pause_reason_is_a_labelled_required_field_and_shown_while_paused(client_for, county_chair, dv_case):
    chair = client_for(county_chair)
    blank = chair.post(reverse("case_action", args=[dv_case.pk, "pause"]), {"reason": " ", "version": 1})
    assert blank.status_code == 400 and Case.objects.get(pk=dv_case.pk).status == CaseStatus.NEW
    chair.post(reverse("case_action", args=[dv_case.pk, "pause"]), {"reason": "当事人暂时联系不上", "version": 1})
    html = chair.get(reverse("case_detail", args=[dv_case.pk])).content.decode()
    assert "<dt>暂缓原因</dt><dd>当事人暂时联系不上</dd>" in html and "恢复办理" in html


def test_an_outsider_cannot_close_or_pause(client_for, sibling_county_cadre, dv_case):
    outsider = client_for(sibling_county_cadre)
    assert close(outsider, dv_case, outcome="x", confirm="on").status_code == 404
    assert outsider.post(reverse("case_action", args=[dv_case.pk, "pause"]), {"reason": "x"}).status_code == 404
    assert Case.objects.get(pk=dv_case.pk).status == CaseStatus.NEW


@pytest.mark.parametrize("text, level", [("高", "high"), ("较高", "high"), ("高风险", "high"), ("中", "medium"),
                                         ("一般", "medium"), ("低", "low"), ("较低", "low"), ("High", "high"),
                                         ("待评估", ""), ("", "")])
def test_the_migration_reads_free_text_risk_levels_sensibly(text, level):
    assert migration.risk_level_from_text(text) == level


def test_the_migration_moves_risk_levels_out_of_the_sealed_details_and_keeps_what_it_cannot_read(dv_case, unit):
    unreadable = services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="y", source="hotline",
                                      anonymous=True)
    for case, text in ((dv_case, "较高"), (unreadable, "待评估")):
        data = services.unseal(case)
        data["details"] = {"risk_level": text, "protection_order": "已申请"}
        Case.objects.filter(pk=case.pk).update(sealed=services.seal(data))
    migration.move_risk_levels(apps, None)
    moved, kept = Case.objects.get(pk=dv_case.pk), Case.objects.get(pk=unreadable.pk)
    assert moved.risk_level == "high" and services.unseal(moved)["details"] == {"protection_order": "已申请"}
    assert kept.risk_level == "" and services.unseal(kept)["details"] == {"protection_order": "已申请",
                                                                          "risk_note": "待评估"}
    assert json.dumps(services.unseal(moved), ensure_ascii=False).count("较高") == 0
