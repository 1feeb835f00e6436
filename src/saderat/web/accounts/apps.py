from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saderat.web.accounts"
    label = "accounts"
    verbose_name = "کاربران و دستگاه‌ها"
