from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "saderat.web.imports"
    label = "imports"
    verbose_name = "ورود داده"
