from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from fulian.core.models import Notice


@csrf_exempt
def bare_insert(request):
    """The reference: a Django view that does one INSERT and answers, nothing else."""
    from django.utils import timezone

    Notice.objects.create(user_id=request.POST["user"], subject="bench", created_at=timezone.now())
    return HttpResponse("ok")


urlpatterns = [path("bench/bare-insert/", bare_insert), path("", include("fulian.urls"))]
