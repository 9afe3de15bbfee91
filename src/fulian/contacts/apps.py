from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "fulian.contacts"
    label = "contacts"
    verbose_name = "联系网"
