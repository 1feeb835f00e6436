from django.apps import AppConfig


class WorkgroupConfig(AppConfig):
    name = "saderat.web.workgroup"
    label = "workgroup"
    verbose_name = "کارگروه: جلسات و مصوبات"
