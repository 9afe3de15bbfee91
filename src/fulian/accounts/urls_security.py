"""账号安全: second factor, recovery codes, 我的登录设备; a chair's reset and session ending for a cadre."""

from django.urls import path

from . import views_security as views

urlpatterns = [
    path("account/security/", views.account_security, name="account_security"),
    path("account/2fa/enrol/", views.twofactor_enrol, name="twofactor_enrol"),
    path("account/2fa/totp/", views.twofactor_totp, name="twofactor_totp"),
    path("account/2fa/sms/", views.twofactor_sms, name="twofactor_sms"),
    path("account/2fa/codes/", views.twofactor_codes, name="twofactor_codes"),
    path("account/2fa/codes/new/", views.twofactor_recovery_new, name="twofactor_recovery_new"),
    path("account/2fa/remove/", views.twofactor_remove, name="twofactor_remove"),
    path("accounts/verify/", views.twofactor_verify, name="twofactor_verify"),
    path("account/sessions/", views.my_sessions, name="my_sessions"),
    path("account/sessions/end-others/", views.my_sessions_end_others, name="my_sessions_end_others"),
    path("account/sessions/<int:cadre_session_id>/end/", views.my_session_end, name="my_session_end"),
    path("cadres/<int:account_id>/2fa/reset/", views.account_twofactor_reset, name="account_twofactor_reset"),
    path("cadres/<int:account_id>/sessions/end/", views.account_sessions_end, name="account_sessions_end"),
]
