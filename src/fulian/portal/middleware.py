from django.utils.functional import SimpleLazyObject


class WomanAccountMiddleware:
    """`request.woman_account`: the woman signed in on this browser (or None), looked up only when used — so the
    help pages of the service network can link a request to her without importing the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .views import current_account

        request.woman_account = SimpleLazyObject(lambda: current_account(request))
        return self.get_response(request)
