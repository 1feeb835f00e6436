from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "saderat.web.opportunities"
    label = "opportunities"
    verbose_name = "فرصت‌های صادراتی"
