from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "fulian.activities"
    label = "activities"
    verbose_name = "活动"

    def ready(self):
        from fulian.core.hooks import hook_register

        # figures, sections on others' pages and the activities family awards' story relay links to register themselves
        from . import figures, panels, panels_organise, panels_public, relay_hooks  # noqa: F401
        from .outcomes import activity_records_merged, outcome_choices_for_contact_log, outcome_from_contact_log

        # a contact log (contacts, a sibling app) offers her completed trainings and records what they led to
        hook_register("training.outcome_choices", outcome_choices_for_contact_log)
        hook_register("training.outcome", outcome_from_contact_log)
        hook_register("woman.merged", activity_records_merged)  # her activities follow her surviving record
        # care and matching (a sibling app) offers a course's places; accepting one signs her up here
        from . import care_hooks

        hook_register("course.seats", care_hooks.course_seats)
        hook_register("course.for_resource", care_hooks.course_for_resource)
        hook_register("course.choices", care_hooks.courses_for_resource)
        hook_register("course.seat_take", care_hooks.course_seat_take)
        from . import funding_hooks

        hook_register("funding.link", funding_hooks.funding_link)
