"""提案建议 through the HTTP client: a county registers a proposal with its evidence (a registry figure read when it
is saved, once per tap), the form keeps what was typed and says what to fix, the list searches by words, kind,
body and outcome, the reply is recorded with the version she saw (a stale one is refused with a message), and the
portal lists only the adopted ones made public, to anyone, within a budget per address; the county next door gets
404; bad parameters are 400."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.consultations import proposals
from fulian.consultations.models import Proposal
from fulian.core.figures import figures_add, period_of

pytestmark = pytest.mark.django_db


def _month(day: dt.date, month: int) -> str:
    return f"{day.year}-{month:02d}"


def _posted(unit, **extra) -> dict:
    today = timezone.localdate()
    data = {"kind": "suggestion", "addressee": "congress", "addressee_name": "正定县人大常委会",
            "subject": "关于加强农村妇女反家暴工作的建议", "submitted_on": today.isoformat(),
            "text": "建议设立反家暴庇护场所。", "client_token": "tok-proposal-1",
            "evidence-TOTAL_FORMS": "3", "evidence-INITIAL_FORMS": "0", "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "20",
            "evidence-0-figure": "cases_opened", "evidence-0-unit": str(unit.pk),
            "evidence-0-start": _month(today, 1), "evidence-0-end": _month(today, 12)}
    data.update(extra)
    return data


def _proposal(actor, unit, **extra):
    values = {"kind": "suggestion", "addressee": "congress", "subject": "关于加强农村妇女反家暴工作的建议",
              "submitted_on": timezone.localdate(), "text": "建议设立反家暴庇护场所。", **extra}
    return proposals.proposal_create(actor=actor, unit=unit, **values)


def test_a_county_registers_a_proposal_with_its_evidence_once(client_for, county_chair, unit):
    figures_add([(unit("恒东社区").path, period_of(timezone.now()), "cases_opened", 4)])
    client = client_for(county_chair)
    form = client.get(reverse("proposal_new"))
    assert form.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in form.content.decode()
    units = dict(form.context["evidence"].forms[0].fields["unit"].choices)
    assert set(units.values()) == {"正定县", "正定镇", "新安镇"}
    done = client.post(reverse("proposal_new"), _posted(unit("正定县")))
    proposal = Proposal.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("proposal_detail", args=[proposal.pk])
    client.post(reverse("proposal_new"), _posted(unit("正定县")))  # a double tap
    assert Proposal.objects.count() == 1
    assert proposal.evidence[0]["value"] == 4 and proposal.addressee_name == "正定县人大常委会"
    page = client.get(done["Location"])
    evidence = page.context["evidence"]
    assert [(e["unit"], e["shown"]) for e in evidence] == [("正定县", "4")]
    assert "关于加强农村妇女反家暴工作的建议" in page.content.decode()


def test_the_form_keeps_what_was_typed_and_says_what_to_fix(client_for, county_chair, unit):
    client = client_for(county_chair)
    county = unit("正定县")
    missing = client.post(reverse("proposal_new"), _posted(county, subject=""))
    assert missing.status_code == 400 and "建议设立反家暴庇护场所。" in missing.content.decode()
    no_month = client.post(reverse("proposal_new"), _posted(county, **{"evidence-0-end": ""}))
    assert no_month.status_code == 400 and "请填写年月" in no_month.content.decode()
    bad_month = client.post(reverse("proposal_new"), _posted(county, **{"evidence-0-end": "2026/13"}))
    assert bad_month.status_code == 400 and "例如 2026-03" in bad_month.content.decode()
    next_door = client.post(reverse("proposal_new"), _posted(county, **{"evidence-0-unit": str(unit("行唐县").pk)}))
    assert next_door.status_code == 400
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = client.post(reverse("proposal_new"), _posted(county, submitted_on=tomorrow))
    assert future.status_code == 400 and "提交日期不能在今天之后" in future.content.decode()
    assert f'value="{tomorrow}"' in future.content.decode()
    assert not Proposal.objects.exists()


def test_the_list_searches_by_words_kind_body_and_outcome(client_for, county_chair, village_cadre, unit):
    county = unit("正定县")
    dv = _proposal(county_chair, county)
    care = _proposal(county_chair, county, kind="proposal", addressee="cppcc", subject="关于关爱留守妇女的提案")
    proposals.proposal_reply(actor=county_chair, proposal=care, version=care.version, reply="已采纳",
                             replied_on=timezone.localdate(), outcome="adopted")
    client = client_for(county_chair)

    def listed(**params):
        page = client.get(reverse("proposal_list"), params)
        assert page.status_code == 200
        return [p.pk for p in page.context["page"].object_list]

    assert listed() == [care.pk, dv.pk]
    assert listed(q="留守") == [care.pk]
    assert listed(kind="suggestion") == [dv.pk]
    assert listed(addressee="cppcc") == [care.pk]
    assert listed(outcome="waiting") == [dv.pk]
    assert listed(outcome="adopted") == [care.pk]
    for bad in ({"kind": "law"}, {"addressee": "court"}, {"outcome": "maybe"}, {"page": "二"}):
        assert client.get(reverse("proposal_list"), bad).status_code == 400
    assert client_for(village_cadre).get(reverse("proposal_list")).context["page"].object_list == []


def test_the_reply_takes_the_version_she_saw(client_for, county_chair, unit):
    proposal = _proposal(county_chair, unit("正定县"))
    client = client_for(county_chair)
    url = reverse("proposal_reply", args=[proposal.pk])
    today = timezone.localdate().isoformat()
    not_public = client.post(url, {"reply": "研究办理中", "replied_on": today, "outcome": "studying", "public": "on",
                                   "version": proposal.version})
    assert not_public.status_code == 400 and "只有采纳或部分采纳的可以公开" in not_public.content.decode()
    assert "研究办理中" in not_public.content.decode()
    done = client.post(url, {"reply": "已列入立法计划", "replied_on": today, "outcome": "adopted", "public": "on",
                             "version": proposal.version})
    assert done.status_code == 302
    stale = client.post(url, {"reply": "另一份答复", "replied_on": today, "outcome": "partly",
                              "version": proposal.version})
    assert stale.status_code == 409 and "刚被别人修改过" in stale.content.decode()
    proposal.refresh_from_db()
    assert (proposal.outcome, proposal.public, proposal.reply) == ("adopted", True, "已列入立法计划")
    page = client.get(reverse("proposal_detail", args=[proposal.pk]))
    assert f'value="{today}"' in page.content.decode() and "已列入立法计划" in page.content.decode()
    assert client.get(url).status_code == 302


def test_the_next_county_gets_404(client_for, county_chair, sibling_county_cadre, unit):
    proposal = _proposal(county_chair, unit("正定县"))
    outsider = client_for(sibling_county_cadre)
    assert outsider.get(reverse("proposal_detail", args=[proposal.pk])).status_code == 404
    assert outsider.post(reverse("proposal_reply", args=[proposal.pk]), {
        "reply": "x", "replied_on": timezone.localdate().isoformat(), "outcome": "adopted",
        "version": proposal.version}).status_code == 404
    assert outsider.get(reverse("proposal_list")).context["page"].object_list == []


def test_the_portal_lists_only_adopted_public_proposals_within_a_budget(county_chair, unit, settings):
    county = unit("正定县")
    shown = _proposal(county_chair, county, subject="关于建立妇女议事会的建议")
    proposals.proposal_reply(actor=county_chair, proposal=shown, version=shown.version, reply="已采纳并推广",
                             replied_on=timezone.localdate(), outcome="partly", public=True)
    kept = _proposal(county_chair, county, subject="内部建议")
    proposals.proposal_reply(actor=county_chair, proposal=kept, version=kept.version, reply="已采纳",
                             replied_on=timezone.localdate(), outcome="adopted", public=False)
    _proposal(county_chair, county, subject="待答复的建议")
    settings.CONSULT_VIEWS_PER_MINUTE = 3
    anyone = Client()
    page = anyone.get(reverse("proposals_public"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "关于建立妇女议事会的建议" in text and "已采纳并推广" in text and "正定县妇联" in text
    assert "内部建议" not in text and "待答复的建议" not in text
    assert 'name="viewport" content="width=device-width' in text
    assert anyone.get(reverse("proposals_public"), {"page": "x"}).status_code == 400
    assert anyone.get(reverse("proposals_public")).status_code == 200
    assert anyone.get(reverse("proposals_public")).status_code == 429
