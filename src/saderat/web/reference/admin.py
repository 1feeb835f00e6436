from django.contrib import admin

from saderat.web.reference.models import (
    BilateralBatch,
    Country,
    CountryAlias,
    County,
    CustomsOffice,
    HSCode,
    Province,
    TariffLine,
)


class CountryAliasInline(admin.TabularInline):
    model = CountryAlias
    extra = 1
    autocomplete_fields = ("country",)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "is_country")
    list_filter = ("is_country",)
    search_fields = ("code", "name_fa", "name_en", "aliases__alias_fa")
    inlines = [CountryAliasInline]


@admin.register(HSCode)
class HSCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "section", "name_fa", "name_en")
    list_filter = ("level", "section")
    search_fields = ("code", "name_fa", "name_en")


@admin.register(TariffLine)
class TariffLineAdmin(admin.ModelAdmin):
    list_display = ("code", "code_system", "hs6", "name_fa")
    list_filter = ("code_system",)
    search_fields = ("code", "name_fa")


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "population_2016")
    search_fields = ("code", "name_fa", "name_en")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "province", "population_2016")
    list_filter = ("province",)
    search_fields = ("code", "name_fa")
    autocomplete_fields = ("province",)


@admin.register(CustomsOffice)
class CustomsOfficeAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "code", "province")
    list_filter = ("province",)
    search_fields = ("name_fa", "code", "aliases")
    autocomplete_fields = ("province",)


@admin.register(BilateralBatch)
class BilateralBatchAdmin(admin.ModelAdmin):
    """Read only: a BACI file is stored with ``saderat import-baci`` (its year's Parquet and its record)."""

    list_display = ("year", "source_name", "status", "rows", "exporters", "value_usd", "created_at")
    list_filter = ("status", "year")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
