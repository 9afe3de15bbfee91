from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fulian.accounts import views as account_views
from fulian.accounts.forms import LoginForm
from fulian.api.api import api
from fulian.cases import views as case_views
from fulian.contacts import views as contact_views
from fulian.core import views as core_views
from fulian.evaluation import views as evaluation_views
from fulian.orgs import views as org_views
from fulian.orgs import views_building as building_views
from fulian.orgs import views_homes as home_views
from fulian.orgs import views_places as place_views
from fulian.people import views as people_views
from fulian.portal import views as portal_views
from fulian.work import views as work_views
from fulian.work import views_burden as burden_views

urlpatterns = [
    path("", portal_views.portal_home, name="portal_home"),
    path("news/<int:article_id>/", portal_views.news_detail, name="news_detail"),
    path("news/<str:category>/", portal_views.news_list, name="news_list"),
    path("tips/", portal_views.neutral_page, name="neutral_page"),
    path("me/", portal_views.me, name="portal_me"),
    path("me/signout/", portal_views.me_signout, name="portal_signout"),
    path("me/delete/", portal_views.me_delete, name="portal_delete"),
    path("me/requests/", case_views.help_requests_mine, name="portal_requests"),
    path("publish/", portal_views.publish_list, name="publish_list"),
    path("publish/new/", portal_views.publish_edit, name="publish_new"),
    path("publish/<int:article_id>/", portal_views.publish_detail, name="publish_detail"),
    path("publish/<int:article_id>/edit/", portal_views.publish_edit, name="publish_edit"),
    path("work/", org_views.home, name="home"),
    path("units/", org_views.unit_root, name="unit_root"),
    path("units/search/", org_views.unit_search, name="unit_search"),
    path("units/<int:unit_id>/", org_views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/organisations/new/", org_views.unit_add_organisation, name="unit_add_organisation"),
    path("units/<int:unit_id>/conversion/", org_views.unit_conversion, name="unit_conversion"),
    path("units/<int:unit_id>/accounts/new/", account_views.account_new, name="account_new"),
    path("units/<int:unit_id>/coverage/", contact_views.unit_coverage, name="unit_coverage"),
    path("units/<int:unit_id>/assign/", contact_views.assign_spread, name="assign_spread"),
    path("units/<int:unit_id>/field-weeks/new/", contact_views.field_week_new, name="field_week_new"),
    path("women/", people_views.women_list, name="women_list"),
    path("women/new/", people_views.woman_new, name="woman_new"),
    path("women/import/", people_views.women_import, name="women_import"),
    path("women/template.xlsx", people_views.women_template_download, name="women_template"),
    path("women/export.xlsx", people_views.women_export, name="women_export"),
    path("women/duplicates/", people_views.women_duplicates, name="women_duplicates"),
    path("women/merge/", people_views.women_merge, name="women_merge"),
    path("women/<int:woman_id>/", people_views.woman_detail, name="woman_detail"),
    path("women/<int:woman_id>/edit/", people_views.woman_edit, name="woman_edit"),
    path("women/<int:woman_id>/id-number/", people_views.woman_reveal_id, name="woman_reveal_id"),
    path("women/<int:woman_id>/contacts/new/", contact_views.contact_new, name="contact_new"),
    path("women/<int:woman_id>/assignments/", contact_views.assignment_add, name="assignment_add"),
    path("assignments/<int:assignment_id>/end/", contact_views.assignment_end, name="assignment_end"),
    path("needs/<int:need_id>/resolve/", contact_views.need_resolve, name="need_resolve"),
    path("cadres/<int:cadre_id>/transfer/", contact_views.cadre_transfer, name="cadre_transfer"),
    path("imports/<int:job_id>/", core_views.import_job_detail, name="import_job_detail"),
    path("imports/<int:job_id>/errors.xlsx", core_views.import_job_errors, name="import_job_errors"),
    path("imports/<int:job_id>/retry/", core_views.import_job_retry, name="import_job_retry"),
    path("today/", contact_views.today, name="today"),
    path("tasks/", work_views.task_list, name="task_list"),
    path("tasks/new/", work_views.task_new, name="task_new"),
    path("tasks/<int:task_id>/", work_views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/units/<int:unit_id>/", work_views.task_completion, name="task_completion"),
    path("tasks/<int:task_id>/remind/", work_views.task_remind, name="task_remind"),
    path("tasks/<int:task_id>/close/", work_views.task_close, name="task_close"),
    path("tasks/<int:task_id>/export.xlsx", work_views.task_export, name="task_export"),
    path("tasks/received/<int:recipient_id>/", work_views.recipient_detail, name="recipient_detail"),
    path("tasks/received/<int:recipient_id>/acknowledge/", work_views.recipient_acknowledge,
         name="recipient_acknowledge"),
    path("tasks/received/<int:recipient_id>/delegate/", work_views.recipient_delegate, name="recipient_delegate"),
    path("tasks/received/<int:recipient_id>/report/", work_views.recipient_report, name="recipient_report"),
    path("tasks/received/<int:recipient_id>/complete/", work_views.recipient_complete, name="recipient_complete"),
    path("tasks/files/<int:attachment_id>/", work_views.attachment_download, name="attachment_download"),
    path("report-templates/", work_views.template_list, name="template_list"),
    path("report-templates/new/", work_views.template_new, name="template_new"),
    path("burden/", burden_views.burden, name="burden"),
    path("field-weeks/", contact_views.field_weeks, name="field_weeks"),
    path("field-weeks/<int:week_id>/", contact_views.field_week_detail, name="field_week_detail"),
    path("dashboard/", evaluation_views.dashboard_home, name="dashboard_home"),
    path("dashboard/<int:unit_id>/", evaluation_views.dashboard, name="dashboard"),
    path("dashboard/<int:unit_id>/export.xlsx", evaluation_views.dashboard_export, name="dashboard_export"),
    path("rankings/", evaluation_views.ranking, name="ranking"),
    path("surveys/", evaluation_views.survey_list, name="survey_list"),
    path("units/<int:unit_id>/surveys/new/", evaluation_views.survey_new, name="survey_new"),
    path("surveys/<int:survey_id>/", evaluation_views.survey_detail, name="survey_detail"),
    path("surveys/<int:survey_id>/status/", evaluation_views.survey_status, name="survey_status"),
    path("surveys/<int:survey_id>/qr-sheet/", evaluation_views.survey_qr_sheet, name="survey_qr_sheet"),
    path("surveys/<int:survey_id>/women/<int:woman_id>/", evaluation_views.survey_answer_for,
         name="survey_answer_for"),
    path("s/<str:token>/", evaluation_views.survey_public, name="survey_public"),
    path("help/", case_views.help_form, name="help_form"),
    path("places/search/", place_views.place_search, name="place_search"),
    path("help/status/", case_views.help_status, name="help_status"),
    path("referrals/<str:code>/", case_views.referral_ack, name="referral_ack"),
    path("cases/", case_views.case_queue, name="case_queue"),
    path("cases/new/", case_views.case_new, name="case_new"),
    path("cases/export.xlsx", case_views.case_export, name="case_export"),
    path("partners/", case_views.partners, name="partners"),
    path("cases/<int:case_id>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/<str:action>/", case_views.case_action, name="case_action"),
    path("notices/", core_views.notices, name="notices"),
    path("verify/<str:code>/", core_views.certificate_verify, name="certificate_verify"),
    path("needs/<int:need_id>/case/", case_views.need_to_case, name="need_to_case"),
    path("units/<int:unit_id>/building/", building_views.unit_building, name="unit_building"),
    path("volunteers/<int:volunteer_id>/certificate/", building_views.volunteer_certificate,
         name="volunteer_certificate"),
    path("rosters/<str:kind>/template.xlsx", building_views.roster_template, name="roster_template"),
    path("rosters/<str:kind>/export.xlsx", building_views.roster_export, name="roster_export"),
    path("rosters/<str:kind>/import/", building_views.roster_import, name="roster_import"),
    path("homes/", home_views.home_list, name="home_list"),
    path("homes/<int:home_id>/", home_views.home_detail, name="home_detail"),
    path("units/<int:unit_id>/homes/new/", home_views.home_new, name="home_new"),
    path("find-home/", home_views.home_finder, name="home_finder"),
    path("account/", account_views.account_me, name="account_me"),
    path("account/tokens/", account_views.token_new, name="token_new"),
    path("account/tokens/<int:token_id>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("account/tokens/revoke-all/", account_views.token_revoke_all, name="token_revoke_all"),
    path("cadres/", account_views.account_list, name="account_list"),
    path("cadres/<int:account_id>/", account_views.account_edit, name="account_edit"),
    path("cadres/<int:account_id>/password/", account_views.account_password, name="account_password"),
    path("accounts/login/", account_views.SignIn.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChange.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # in production nginx serves /media/ (README, Deployment)
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
