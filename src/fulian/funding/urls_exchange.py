"""经费 Excel downloads and the population import (included at the root)."""

urlpatterns: list = []
