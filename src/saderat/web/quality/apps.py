from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "saderat.web.quality"
    label = "quality"
    verbose_name = "استاندارد و کیفیت کالاهای صادراتی"

    def ready(self) -> None:
        # The directorate's standards and certificates go through the registry's batches (upload, hold,
        # withdraw, history): registered here so that the registry never imports this app.
        from saderat.web.quality.registers import register

        register()
