from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "saderat.web.reference"
    label = "reference"
    verbose_name = "داده‌های مرجع"
