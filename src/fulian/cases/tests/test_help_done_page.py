"""The page with her tracking code: for a visitor it is rendered once and filled in with each code and form token; it
must stay exactly the page a full render gives, for every request, and carry a working form token."""

import re

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse

from fulian.cases import views
from fulian.cases.models import Case

TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([^"]+)"')


def ask(client, kind, token):
    form = client.get(reverse("help_form")).context["form"]
    return client.post(reverse("help_form"), {"kind": kind, "place": "恒东社区", "description": "需要帮助",
                                              "anonymous": "on", "started": form["started"].value(),
                                              "client_token": token})


@pytest.mark.django_db
def test_each_visitor_gets_the_full_page_with_her_own_code_and_a_fresh_form_token(client, tree, settings):
    settings.HELP_MIN_SECONDS = 0
    pages = []
    for kind, token in (("dv", "d-1"), ("legal_aid", "d-2")):
        response = ask(client, kind, token)
        case = Case.objects.get(client_token=token)
        page = response.content.decode()
        request = response.wsgi_request
        full = render(request, "cases/help_done.html", {"case": case}).content.decode()
        assert TOKEN.sub("TOKEN", page) == TOKEN.sub("TOKEN", full)
        assert page.count(case.tracking_display) == 1 and views._CODE not in page and views._TOKEN not in page
        tokens = TOKEN.findall(page)
        assert len(tokens) == 2 and len(set(tokens)) == 1  # one token, in the header and in the language form
        pages.append(tokens[0])
    assert pages[0] != pages[1] and views._done_pages  # masked afresh for each response; the page itself was kept
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/help/",
                                                     "csrfmiddlewaretoken": pages[1]})
    assert response.status_code == 302  # the page's token is accepted


@pytest.mark.django_db
def test_a_signed_in_cadre_or_waiting_messages_get_the_page_rendered_in_full(tree, county_chair):
    views._done_pages.clear()
    case = Case(tracking_code="ABCDEFGHJK", kind="dv")
    request = RequestFactory().post("/help/")
    request.user = county_chair
    request.session = {}
    request._messages = FallbackStorage(request)
    assert "ABCDE-FGHJK" in views._help_done(request, case).content.decode()
    assert not views._done_pages  # a page with her menu is never kept
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request._messages.add(20, "已保存")
    assert "已保存" in views._help_done(request, case).content.decode() and not views._done_pages
