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
        # care and matching (a sibling app): a need opens a help plan's goal and closes with it; the cadres linked to
        # a family's women care for it (children's need-to-know); a plan's visits are contact logs
        from . import care_hooks

        hook_register("need.for_care", care_hooks.need_for_care)
        hook_register("need.met", care_hooks.need_met)
        hook_register("family.carers", care_hooks.family_carers)
        hook_register("care.visits", care_hooks.visits_for_care)
