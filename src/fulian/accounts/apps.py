from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fulian.accounts"
    label = "accounts"
    verbose_name = "账号"
