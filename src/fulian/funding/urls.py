"""经费 pages (included at the root)."""

urlpatterns: list = []
