from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "fulian.contacts"
    label = "contacts"
    verbose_name = "联系网"

    def ready(self):
        from fulian.core.hooks import hook_register

        from . import figures, panels, services  # noqa: F401  (figures and panels register themselves)

        hook_register("woman.moved", services.contact_history_rehome)
        hook_register("woman.merged", services.contact_history_move)
        hook_register("account.moved", lambda *, actor, account, now: {
            "women": services.assignments_release_moved_cadre(actor=actor, cadre=account,
                                                              today=now.date())["ended"]})
        hook_register("need.became_case", services.need_seal_for_case)
