"""A consultation whose title, draft and comment hold a long unbroken word (a pasted link) still fits a 390-px phone
on the portal and on the organiser's page: no sideways scrolling."""

import json
import subprocess

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

pytestmark = MARKS

LONG = "https://example.com/" + "a" * 60
SETUP = f"""
import datetime as dt, json
from django.utils import timezone
from fulian.accounts.models import User
from fulian.consultations import comments
from fulian.consultations.drafts import consultation_create, consultation_open
from fulian.orgs.models import Unit
village = Unit.objects.get(name="恒东社区")
cadre = User.objects.get(username="village")
today = timezone.localdate()
rule = consultation_open(actor=cadre, consultation=consultation_create(
    actor=cadre, unit=village, kind="village_rule", title="公约{LONG}", audience="public", opens_on=today,
    closes_on=today + dt.timedelta(days=14), intro="{LONG}", sections=[{{"heading": "第一条", "text": "{LONG}"}}]))
c = comments.comment_submit(consultation=rule, text="见{LONG}", channel="cadre", name="李秀梅", actor=cadre)
comments.comment_review(actor=cadre, comment=c, approve=True)
print(json.dumps({{"rule": rule.pk}}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("consultation-review-browser"))
    account_create(manage, env, "village", "130123100001", "staff", "张丽")
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    rule = json.loads(made.stdout.strip().splitlines()[-1])["rule"]
    with served(manage, env) as url:
        yield url, rule


def test_a_long_word_does_not_widen_the_page_at_390_px(site):
    url, rule = site
    with phone_page() as page:
        for path in ("/consult/", f"/consult/{rule}/"):
            page.goto(url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        sign_in(page, url, "village")
        for path in ("/consultations/", f"/consultations/{rule}/"):
            page.goto(url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
