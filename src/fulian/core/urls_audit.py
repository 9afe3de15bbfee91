"""Skeleton (issue 21)."""

urlpatterns = []
