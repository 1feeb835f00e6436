from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "saderat.web.stats"
    label = "stats"
    verbose_name = "آمار صادرات"
