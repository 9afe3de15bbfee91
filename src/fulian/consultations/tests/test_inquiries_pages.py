"""征求基层意见 through the HTTP client: a county's chair asks her villages (once per tap, on one of the county's
consultations, or only picked units), the form keeps what was typed and says what to fix; a village answers its
copy once; the asking unit's page tallies the stances, lists every answer and the units not answered yet, and
takes the summary; staff may not ask; the county next door gets 404 everywhere; bad parameters are 400."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.consultations import inquiries
from fulian.consultations.models import Inquiry, InquiryAnswer
from fulian.dispatch.models import Recipient

from .conftest import village_rule

pytestmark = pytest.mark.django_db


def _ask(client, unit, **extra):
    data = {"question": "对县妇联2027年工作要点有何意见？", "deadline": (timezone.localdate() + dt.timedelta(days=10))
            .isoformat(), "level": "5", "client_token": "tok-inquiry-1", **extra}
    return client.post(reverse("inquiry_new") + f"?unit={unit.pk}", data)


def _sent(chair, unit, **extra):
    return inquiries.inquiry_send(actor=chair, unit=unit, question="对县妇联2027年工作要点有何意见？",
                                  deadline=timezone.now() + dt.timedelta(days=10), level=5, **extra)


def test_a_county_chair_asks_her_villages_once_per_tap(client_for, county_chair, unit):
    client = client_for(county_chair)
    county = unit("正定县")
    form = client.get(reverse("inquiry_new"), {"unit": county.pk})
    assert form.status_code == 200
    default = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    assert f'value="{default}"' in form.content.decode()  # the date input takes ISO dates
    rule = village_rule(county_chair, county, open_it=False)
    done = _ask(client, county, consultation=str(rule.pk))
    inquiry = Inquiry.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("inquiry_detail", args=[inquiry.pk])
    again = _ask(client, county, consultation=str(rule.pk))  # a double tap
    assert again["Location"] == done["Location"] and Inquiry.objects.count() == 1
    assert inquiry.consultation == rule and inquiry.dispatch.recipient_count == 3
    assert timezone.localtime(inquiry.dispatch.deadline).date() == timezone.localdate() + dt.timedelta(days=10)
    page = client.get(done["Location"]).content.decode()
    for name in ("恒东社区", "张家庄村", "西柏棠村", "恒东社区居民公约（修订草案）", "尚未反馈的单位（3）"):
        assert name in page


def test_only_picked_units_are_asked(client_for, county_chair, unit):
    client = client_for(county_chair)
    town = unit("正定镇")
    done = _ask(client, unit("正定县"), level="4", units=[str(town.pk)])
    assert done.status_code == 302
    assert list(Recipient.objects.values_list("unit__name", flat=True)) == ["正定镇"]


def test_the_form_keeps_what_was_typed_and_says_what_to_fix(client_for, county_chair, unit):
    client = client_for(county_chair)
    county = unit("正定县")
    refused = _ask(client, county, question="")
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    kept = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert f'value="{kept}"' in refused.content.decode()
    past = _ask(client, county, deadline=(timezone.localdate() - dt.timedelta(days=1)).isoformat())
    assert past.status_code == 400 and "截止日期不能早于今天" in past.content.decode()
    assert "对县妇联2027年工作要点有何意见？" in past.content.decode()
    other = village_rule(county_chair, unit("恒东社区"), open_it=False)  # not the county's own consultation
    assert _ask(client, county, consultation=str(other.pk)).status_code == 400
    assert not Inquiry.objects.exists()
    assert client.get(reverse("inquiry_new"), {"unit": "abc"}).status_code == 400
    assert client.get(reverse("inquiry_list"), {"page": "x"}).status_code == 400


def test_staff_may_not_ask_and_the_next_county_sees_nothing(client_for, county_chair, village_cadre,
                                                            sibling_county_cadre, unit):
    assert client_for(village_cadre).get(reverse("inquiry_new")).status_code == 404
    inquiry = _sent(county_chair, unit("正定县"))
    copy = Recipient.objects.get(dispatch=inquiry.dispatch, unit=unit("恒东社区"))
    outsider = client_for(sibling_county_cadre)
    assert outsider.get(reverse("inquiry_new"), {"unit": unit("正定县").pk}).status_code == 404
    for url in (reverse("inquiry_detail", args=[inquiry.pk]), reverse("inquiry_copy", args=[copy.pk])):
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {"stance": "agree"}).status_code == 404
    assert outsider.post(reverse("inquiry_summarise", args=[inquiry.pk]), {"summary": "x"}).status_code == 404
    assert "对县妇联" not in outsider.get(reverse("inquiry_list")).content.decode()
    # the village's cadre answers her copy but does not see the county's page
    assert client_for(village_cadre).get(reverse("inquiry_detail", args=[inquiry.pk])).status_code == 404


def test_a_village_answers_its_copy_once_and_the_county_sees_the_tally(client_for, county_chair, village_cadre,
                                                                        unit):
    inquiry = _sent(county_chair, unit("正定县"))
    copy = Recipient.objects.get(dispatch=inquiry.dispatch, unit=unit("恒东社区"))
    client = client_for(village_cadre)
    listed = client.get(reverse("inquiry_list")).content.decode()
    assert reverse("inquiry_copy", args=[copy.pk]) in listed and "待反馈" in listed
    url = reverse("inquiry_copy", args=[copy.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"stance": "disagree", "text": ""})
    assert refused.status_code == 400 and "请写明具体意见" in refused.content.decode()
    assert client.post(url, {"stance": "bogus"}).status_code == 400
    done = client.post(url, {"stance": "changes", "text": "增加留守妇女关爱内容"})
    assert done.status_code == 302
    again = client.post(url, {"stance": "agree"}, follow=True)  # a double tap
    assert "本单位已经反馈过意见了" in again.content.decode()
    assert list(InquiryAnswer.objects.values_list("stance", flat=True)) == ["changes"]
    assert "增加留守妇女关爱内容" in client.get(url).content.decode()
    assert "已反馈" in client.get(reverse("inquiry_list")).content.decode()

    page = client_for(county_chair).get(reverse("inquiry_detail", args=[inquiry.pk]))
    assert page.status_code == 200
    stances = {value: n for value, _label, n in page.context["stances"]}
    assert stances == {"agree": 0, "changes": 1, "disagree": 0, "none": 0}
    assert page.context["tally"]["answered"] == 1 and page.context["waiting_count"] == 2
    assert [r.unit.name for r in page.context["waiting"]] == ["张家庄村", "西柏棠村"]
    assert "增加留守妇女关爱内容" in page.content.decode()


def test_the_chair_writes_the_summary(client_for, county_chair, village_cadre, unit):
    inquiry = _sent(county_chair, unit("正定县"))
    url = reverse("inquiry_summarise", args=[inquiry.pk])
    client = client_for(county_chair)
    empty = client.post(url, {"summary": ""})
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()
    assert client.post(url, {"summary": "多数赞成，建议增加关爱内容"}).status_code == 302
    assert client.post(url, {"summary": "多数赞成，建议增加关爱内容"}).status_code == 302  # again: the same summary
    inquiry.refresh_from_db()
    assert inquiry.summary == "多数赞成，建议增加关爱内容"
    assert "多数赞成" in client.get(reverse("inquiry_detail", args=[inquiry.pk])).content.decode()
    assert client.get(url).status_code == 405
    assert client_for(village_cadre).post(url, {"summary": "x"}).status_code == 404


@pytest.mark.django_db
def test_asking_from_a_consultations_page_picks_it(client_for, county_chair, unit):
    plan = village_rule(county_chair, unit("正定县"), audience="committee")
    client = client_for(county_chair)
    detail = client.get(reverse("consultation_detail", args=[plan.pk])).content.decode()
    link = f'{reverse("inquiry_new")}?unit={unit("正定县").pk}&amp;consultation={plan.pk}'
    assert link in detail
    form = client.get(reverse("inquiry_new"), {"unit": unit("正定县").pk, "consultation": plan.pk})
    assert f'<option value="{plan.pk}" selected>' in form.content.decode()
    assert client.get(reverse("inquiry_new"), {"unit": unit("正定县").pk, "consultation": "x"}).status_code == 400
