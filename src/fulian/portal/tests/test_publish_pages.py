import pytest
from django.urls import reverse

from fulian.portal.models import Article


@pytest.mark.django_db
def test_the_new_article_page_opens_and_keeps_what_she_typed_on_an_error(client_for, county_chair):
    client = client_for(county_chair)
    assert client.get(reverse("publish_new")).status_code == 200
    response = client.post(reverse("publish_new"), {"category": "notice", "title": "只有标题", "body": ""})
    assert response.status_code == 200 and 'value="只有标题"' in response.content.decode()
    assert not Article.objects.exists()
    article_page = client.post(reverse("publish_new"), {"category": "notice", "title": "t", "body": "b"}, follow=True)
    article = Article.objects.get()
    assert article_page.status_code == 200
    assert client.get(reverse("publish_edit", args=[article.pk])).status_code == 200
