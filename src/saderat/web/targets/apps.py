from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "saderat.web.targets"
    label = "targets"
    verbose_name = "اهداف کمی صادرات"
