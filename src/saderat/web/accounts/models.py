from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from saderat.web.common.audit import audited


@audited
class Agency(models.Model):
    """A member agency of the working group (دستگاه عضو)."""

    code = models.SlugField(_("کد"), max_length=40, unique=True)
    name_fa = models.CharField(_("نام"), max_length=200)
    name_en = models.CharField(_("نام انگلیسی"), max_length=200, blank=True)
    is_secretariat = models.BooleanField(_("دبیرخانه کارگروه"), default=False)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("دستگاه")
        verbose_name_plural = _("دستگاه‌ها")

    def __str__(self) -> str:
        """The name in the page's language (the English name where one is recorded): form choices and
        pages show agencies through it."""
        from saderat.web.reference.selectors import localized_name

        return localized_name(self.name_fa, self.name_en)


@audited
class User(AbstractUser):
    """A person with one role; agency members and the secretariat belong to an agency."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("مدیر سامانه")
        SECRETARIAT = "secretariat", _("دبیرخانه")
        AGENCY_MEMBER = "agency_member", _("عضو دستگاه")
        VIEWER = "viewer", _("مدیر/ناظر (فقط مشاهده)")

    role = models.CharField(_("نقش"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    agency = models.ForeignKey(
        Agency, verbose_name=_("دستگاه"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.AGENCY_MEMBER and self.agency_id is None:
            raise ValidationError({"agency": _("عضو دستگاه باید به یک دستگاه وابسته باشد.")})
