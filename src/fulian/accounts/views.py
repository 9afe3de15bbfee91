from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.policy import Action, actions_of, landing_is_today, may_end_sessions_of, may_reset_second_factor
from fulian.orgs.selectors import access_unit_by_id, unit_by_code_for

from . import selectors, services
from .forms import AccountEditForm, AccountForm, PasswordSetForm, TokenForm
from .sessions import sessions_of
from .twofactor import second_factor_of

NEW_TOKEN_KEY = "fulian_new_token"  # noqa: S105  (a session key name)


@login_required
def account_me(request):
    new_key = request.session.pop(NEW_TOKEN_KEY, None)
    return render(request, "accounts/account_me.html", {
        "tokens": selectors.tokens_of(request.user),
        "form": TokenForm(),
        "new_key": new_key,
    })


@login_required
@require_POST
def token_new(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
        # shown once, after the redirect, so a reload or a double click cannot reveal or make another
        request.session[NEW_TOKEN_KEY] = key
    else:
        messages.error(request, _("请填写令牌用途。"))
    return redirect("account_me")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = selectors.access_token_by_id(request.user, token_id)
    services.token_revoke(user=request.user, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect("account_me")


@login_required
@require_POST
def token_revoke_all(request):
    services.tokens_revoke_all(user=request.user)
    messages.success(request, _("全部令牌已撤销。"))
    return redirect("account_me")


class SignIn(auth_views.LoginView):
    """Sign-in; with nowhere asked for, a village cadre lands on 今日工作 (her phone's start), others on 工作台."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if landing_is_today(self.request.user):
            return reverse("today")
        return super().get_default_redirect_url()


class PasswordChange(auth_views.PasswordChangeView):
    """Her own new password goes through the service, which also revokes her API tokens."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "due": selectors.password_change_due(self.request.user)}

    def form_valid(self, form):
        services.account_set_password(actor=self.request.user, account=self.request.user,
                                      password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())


@login_required
def account_edit(request, account_id: int):
    account = selectors.access_account_by_id(request.user, account_id)
    initial = {"full_name": account.full_name, "phone": account.phone, "unit_code": account.unit.code,
               "roles": account.roles, "is_active": account.is_active}
    form = AccountEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = unit_by_code_for(request.user, data["unit_code"], need=Action.MANAGE_ACCOUNTS)
            if unit is None:
                raise ValidationError(_("找不到这个组织，或不在您的管理范围内。"))
            services.account_update(actor=request.user, account=account, unit=unit, roles=data["roles"],
                                    is_active=data["is_active"], full_name=data["full_name"], phone=data["phone"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("账号 %(username)s 已保存。") % {"username": account.username})
            return redirect("account_list")
    return render(request, "accounts/account_edit.html", {
        "account": account, "form": form, "password_form": PasswordSetForm(),
        "second_factor": second_factor_of(account), "may_reset": may_reset_second_factor(request.user, account),
        "may_end": may_end_sessions_of(request.user, account), "sessions_count": sessions_of(account).count()})


@login_required
@require_POST
def account_password(request, account_id: int):
    account = selectors.access_account_by_id(request.user, account_id)
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            services.account_set_password(actor=request.user, account=account, password=form.cleaned_data["password"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已为 %(username)s 设置新密码，她的 API 令牌已全部撤销。") % {
                "username": account.username})
    else:
        messages.error(request, _("请填写新密码。"))
    return redirect("account_edit", account_id=account.pk)


@login_required
def account_list(request):
    if Action.MANAGE_ACCOUNTS not in actions_of(request.user):
        raise Http404("no accounts to manage")
    page = Paginator(selectors.accounts_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page": page})


@login_required
def account_new(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.MANAGE_ACCOUNTS)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.account_create(
                actor=request.user, username=data["username"], unit=unit, roles=data["roles"],
                password=data["password"], full_name=data["full_name"], phone=data["phone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已为%(unit)s创建账号 %(username)s。") % {
                "unit": unit.name, "username": user.username})
            return redirect("unit_detail", unit_id=unit.pk)
    return render(request, "accounts/account_form.html", {"unit": unit, "form": form})
