from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from saderat.web.common.audit import audited


@audited
class Agency(models.Model):
    """A member agency of the working group (دستگاه عضو)."""

    code = models.SlugField("کد", max_length=40, unique=True)
    name_fa = models.CharField("نام", max_length=200)
    name_en = models.CharField("نام انگلیسی", max_length=200, blank=True)
    is_secretariat = models.BooleanField("دبیرخانه کارگروه", default=False)
    is_active = models.BooleanField("فعال", default=True)

    class Meta:
        ordering = ["name_fa"]
        verbose_name = "دستگاه"
        verbose_name_plural = "دستگاه‌ها"

    def __str__(self) -> str:
        return self.name_fa


@audited
class User(AbstractUser):
    """A person with one role; agency members and the secretariat belong to an agency."""

    class Role(models.TextChoices):
        ADMIN = "admin", "مدیر سامانه"
        SECRETARIAT = "secretariat", "دبیرخانه"
        AGENCY_MEMBER = "agency_member", "عضو دستگاه"
        VIEWER = "viewer", "مدیر/ناظر (فقط مشاهده)"

    role = models.CharField("نقش", max_length=20, choices=Role.choices, default=Role.VIEWER)
    agency = models.ForeignKey(Agency, verbose_name="دستگاه", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "کاربر"
        verbose_name_plural = "کاربران"

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.AGENCY_MEMBER and self.agency_id is None:
            raise ValidationError({"agency": "عضو دستگاه باید به یک دستگاه وابسته باشد."})
