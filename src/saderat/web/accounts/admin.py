from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from saderat.web.accounts.models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "code", "is_secretariat", "is_active")
    search_fields = ("name_fa", "name_en", "code")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active")
    list_filter = ("role", "agency", "is_active")
    autocomplete_fields = ("agency",)
    fieldsets = BaseUserAdmin.fieldsets + (("نقش در کارگروه", {"fields": ("role", "agency")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("نقش در کارگروه", {"fields": ("role", "agency")}),)
