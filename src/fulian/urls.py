from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fulian.accounts import views as account_views
from fulian.api.api import api
from fulian.orgs import views as org_views

urlpatterns = [
    path("", org_views.home, name="home"),
    path("units/", org_views.unit_root, name="unit_root"),
    path("units/search/", org_views.unit_search, name="unit_search"),
    path("units/<int:unit_id>/", org_views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/organisations/new/", org_views.unit_add_organisation, name="unit_add_organisation"),
    path("units/<int:unit_id>/conversion/", org_views.unit_conversion, name="unit_conversion"),
    path("units/<int:unit_id>/accounts/new/", account_views.account_new, name="account_new"),
    path("account/", account_views.account_me, name="account_me"),
    path("account/tokens/", account_views.token_new, name="token_new"),
    path("account/tokens/<int:token_id>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("cadres/", account_views.account_list, name="account_list"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
