"""Pages of care and matching (关爱帮扶、资源对接), included at the root."""

from django.urls import path

from . import views_children, views_figures, views_matching, views_me, views_plans, views_registry, views_resources

urlpatterns = [
    path("care/", views_registry.registry_list, name="care_registry"),
    path("care/women/<int:woman_id>/groups/new/", views_registry.membership_new, name="care_membership_new"),
    path("care/memberships/<int:care_membership_id>/end/", views_registry.membership_end, name="care_membership_end"),
    path("care/children/", views_children.children_list, name="care_children"),
    path("care/families/<int:family_id>/children/new/", views_children.child_new, name="care_child_new"),
    path("care/children/<int:care_child_id>/", views_children.child_detail, name="care_child"),
    path("care/children/<int:care_child_id>/edit/", views_children.child_edit, name="care_child_edit"),
    path("care/children/<int:care_child_id>/end/", views_children.child_end, name="care_child_end"),
    path("care/plans/", views_plans.plan_list, name="care_plans"),
    path("care/women/<int:woman_id>/plans/new/", views_plans.plan_new, name="care_plan_new"),
    path("care/plans/<int:care_plan_id>/", views_plans.plan_detail, name="care_plan"),
    path("care/plans/<int:care_plan_id>/edit/", views_plans.plan_edit, name="care_plan_edit"),
    path("care/plans/<int:care_plan_id>/goals/", views_plans.goal_add, name="care_goal_add"),
    path("care/plans/<int:care_plan_id>/help/", views_plans.help_add, name="care_help_add"),
    path("care/plans/<int:care_plan_id>/close/", views_plans.plan_close, name="care_plan_close"),
    path("care/needs/<int:need_id>/plan/", views_plans.need_to_plan, name="care_need_plan"),
    path("care/goals/<int:care_goal_id>/", views_matching.goal_detail, name="care_goal"),
    path("care/goals/<int:care_goal_id>/offers/", views_matching.offer_send, name="care_offer_send"),
    path("care/goals/<int:care_goal_id>/close/", views_matching.goal_close, name="care_goal_close"),
    path("care/offers/<int:care_offer_id>/answer/", views_matching.offer_answer, name="care_offer_answer"),
    path("care/offers/<int:care_offer_id>/withdraw/", views_matching.offer_withdraw, name="care_offer_withdraw"),
    path("care/offers/<int:care_offer_id>/outcome/", views_matching.offer_outcome, name="care_offer_outcome"),
    path("care/batches/", views_matching.batch_list, name="care_batches"),
    path("care/batches/<int:care_batch_id>/", views_matching.batch_detail, name="care_batch"),
    path("care/batches/<int:care_batch_id>/decide/", views_matching.batch_decide, name="care_batch_decide"),
    path("care/resources/", views_resources.resource_list, name="care_resources"),
    path("care/resources/new/", views_resources.resource_new, name="care_resource_new"),
    path("care/resources/<int:care_resource_id>/", views_resources.resource_detail, name="care_resource"),
    path("care/resources/<int:care_resource_id>/edit/", views_resources.resource_edit, name="care_resource_edit"),
    path("care/resources/<int:care_resource_id>/close/", views_resources.resource_close, name="care_resource_close"),
    path("care/resources/<int:care_resource_id>/recommend/", views_resources.resource_recommend,
         name="care_resource_recommend"),
    path("care/agreements/", views_resources.agreements, name="care_agreements"),
    path("care/figures/", views_figures.care_figures, name="care_figures"),
    path("me/care/offers/<int:care_offer_id>/answer/", views_me.me_offer_answer, name="care_me_offer_answer"),
]
