from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fulian.cases"
    label = "cases"
    verbose_name = "维权服务"

    def ready(self):
        from fulian.core.hooks import hook_register

        from . import figures, services  # noqa: F401  (figures register themselves)
        from .models import CaseKind, Urgency

        hook_register("account.moved", lambda *, actor, account, now: {
            "cases": services.case_handlers_release(actor=actor, user=account, now=now)})
        # family awards (a sibling) learn only whether a family's member has an open family case, and who may know
        hook_register("family.open_cases", services.open_family_cases)
        hook_register("case.may_know", services.may_know_case)
        # a help request registered on a visit while offline (contacts' sync of a phone's queue)
        hook_register("visit.help_request", services.case_from_visit)
        hook_register("visit.help_choices", lambda: {"kinds": list(CaseKind.choices),
                                                     "urgencies": list(Urgency.choices)})
