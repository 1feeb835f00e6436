"""Template helpers of the registry pages: who may see which menu entry, and the cells of the exporter
dynamics tables (a value formatted for the page, or the mark of a suppressed cell with the rule)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from saderat.web.common.templatetags.fa import musd, num, pct
from saderat.web.registry import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def registry_access(context) -> dict:
    """``{"firms", "manage", "imports"}`` (booleans) for the menus: the firm registry is not for every role."""
    from saderat.web.registry.models import RegistryBatch

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"firms": False, "manage": False, "imports": False}
    return {
        "firms": permissions.can_see_firms(user),
        "manage": permissions.can_manage_registry(user, RegistryBatch.Kind.FIRMS),
        "imports": any(permissions.can_manage_registry(user, k) for k in RegistryBatch.Kind.values),
    }


FORMATS = {
    "count": lambda v: num(v),
    "pct": lambda v: pct(v, 1),
    "musd": lambda v: musd(v),
    "usd": lambda v: num(v),
    "dec": lambda v: num(v, 1),
    "hhi": lambda v: num(v, 3),
}


@register.simple_tag(takes_context=True)
def dyn_cell(context, row: dict, column: str, kind: str = "count"):
    """One ``<td>`` of a dynamics table: the figure (sortable by its raw value), ``—`` where it is undefined
    (no declaration data for the year it needs), or the suppression mark with the rule as its title."""
    value = row.get(column)
    if column in (row.get("suppressed") or ()):
        rule = context.get("rule") or ""
        return format_html(
            '<td class="num suppressed" data-col="{}" data-suppressed="1" data-value="" title="{}">'
            '<span aria-label="{}">×</span></td>',
            column,
            rule,
            gettext("محرمانه"),
        )
    if value is None:
        return format_html('<td class="num" data-col="{}" data-value="">—</td>', column)
    return format_html(
        '<td class="num" data-col="{}" data-value="{}">{}</td>', column, value, FORMATS[kind](value)
    )
