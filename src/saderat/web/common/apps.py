from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "saderat.web.common"
    label = "common"
    verbose_name = "مشترک"

    def ready(self) -> None:
        from saderat.web.common import audit

        audit.connect_signals()
