"""The burden meter's page (filled in by its author)."""

from django.http import Http404


def burden(request):
    raise Http404("not yet")
