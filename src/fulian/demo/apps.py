from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`manage.py demo_setup`: builds the demo from every app's demo data; the top layer, so it may import all."""

    name = "fulian.demo"
    label = "demo"
    verbose_name = "演示数据"
