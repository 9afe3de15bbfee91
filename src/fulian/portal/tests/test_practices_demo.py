"""The practices' demo: one from 恒东社区 published on the portal with photos, one waiting at 正定县; twice is once."""

from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import Role
from fulian.portal.demo import demo_practices
from fulian.portal.models import ArticleStatus, Practice, PracticeStatus


def test_the_demo_publishes_one_practice_and_leaves_one_at_the_county(unit, client):
    users = {
        "hb-village": UserFactory(username="hb-village", unit=unit("恒东社区"), roles=[Role.STAFF]),
        "hb-township": UserFactory(username="hb-township", unit=unit("正定镇"), roles=[Role.VICE_CHAIR]),
        "hb-county": UserFactory(username="hb-county", unit=unit("正定县"), roles=[Role.CHAIR]),
        "hb-city": UserFactory(username="hb-city", unit=unit("石家庄市"), roles=[Role.CHAIR]),
        "hb-province": UserFactory(username="hb-province", unit=unit("河北省"), roles=[Role.CHAIR]),
    }
    made = demo_practices(users=users)
    assert demo_practices(users=users) == made
    assert Practice.objects.count() == 2
    published = Practice.objects.get(pk=made["published"])
    assert published.status == PracticeStatus.PUBLISHED and published.article.status == ArticleStatus.PUBLISHED
    assert published.steps.count() == 6 and published.photos.count() == 2
    page = client.get(reverse("news_detail", args=[made["article"]])).content.decode()
    assert "妇女议事会" in page and page.count('loading="lazy"') == 2
    photo = published.photos.first()
    assert client.get(reverse("practice_photo_public", args=[photo.pk])).status_code == 200
    waiting = Practice.objects.get(pk=made["waiting"])
    assert waiting.status == PracticeStatus.HELD and waiting.holder == unit("正定县") and made["waiting_at"] == "正定县"
