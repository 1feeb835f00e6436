from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "saderat.web.registry"
    label = "registry"
    verbose_name = "ثبت بنگاه‌ها، کارت‌های بازرگانی و واحدهای صنعتی"
