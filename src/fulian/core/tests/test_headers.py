"""Headers and the rule behind the Content-Security-Policy: no template adds inline script, no script builds HTML."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html"))
OUR_SCRIPTS = sorted((ROOT / "static" / "fulian").glob("*.js"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
HTML_FROM_STRINGS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|bindPopup\(\s*[\"'`]|"
                               r"bindTooltip\(\s*[\"'`]|\.html\(")


def test_the_scan_sees_the_templates_and_scripts():
    assert len(TEMPLATES) > 50 and len(OUR_SCRIPTS) >= 4


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_event_handlers(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to a static file"
    assert not INLINE_HANDLER.search(text), "wire behaviour with a data attribute in a static file"


@pytest.mark.parametrize("script", OUR_SCRIPTS, ids=lambda p: p.name)
def test_no_script_of_ours_builds_html_from_strings(script):
    assert not HTML_FROM_STRINGS.search(script.read_text(encoding="utf-8")), "create elements, set textContent"


def test_the_rule_catches_what_it_is_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>') and INLINE_HANDLER.search('<b onclick="x()">')
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert HTML_FROM_STRINGS.search('m.bindPopup("<b>" + p.name)')


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_only_the_finder_may_locate(client, tree):
    home = client.get(reverse("portal_home"))
    policy = home["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'" and "frame-ancestors 'none'" in policy
    assert "geolocation=()" in home["Permissions-Policy"]
    assert "geolocation=(self)" in client.get(reverse("home_finder"))["Permissions-Policy"]
    assert "Content-Security-Policy" in client.get("/api/v1/public/articles")


def test_tiles_from_a_configured_server_are_allowed(settings):
    from fulian.core.middleware import content_security_policy

    settings.MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&z={z}"
    assert "img-src 'self' data: blob: https://*.tianditu.gov.cn" in content_security_policy()


@pytest.mark.django_db
def test_a_module_adds_its_section_to_a_page_it_does_not_own(client_for, county_chair, unit, monkeypatch):
    """core.panels: the unit page shows what a registered app gives it, and nothing when the app returns None."""
    from fulian.core import panels

    monkeypatch.setitem(panels._panels, "unit.sections", [])  # the apps' own sections come back afterwards
    panels.panel_register("unit.sections", order=99, template="core/notices.html",
                          context=lambda request, u: {"items": []} if u.level == 3 else None)
    county = client_for(county_chair).get(reverse("unit_detail", args=[unit("正定县").pk])).context["sections"]
    township = client_for(county_chair).get(reverse("unit_detail", args=[unit("正定镇").pk])).context["sections"]
    assert len(county) == 1 and township == []
