"""The lines other modules add to reach the working group (the navbar link, the dashboard box, the API
router, the command): the navbar line is checked here as written; the rest once they are in place."""

import pytest
from django.template import engines
from django.urls import reverse

from saderat.web.workgroup.models import Notification

pytestmark = pytest.mark.django_db

#: The navbar line for base.html (with ``{% load static i18n workgroup %}`` at its top).
NAV_LINK = (
    """<li class="nav-item"><a class="nav-link" href="{% url 'workgroup:home' %}">{% translate "کارگروه" %}"""
    """{% unread_notifications as unread %}{% if unread %} <span class="badge text-bg-warning" id="nav-unread" """
    """title="{% translate "اعلان‌ها" %}">{{ unread|fa_digits }}</span>{% endif %}</a></li>"""
)


def render_nav(rf, user, language="fa"):
    from django.utils import translation

    request = rf.get("/")
    request.user = user
    template = engines["django"].from_string("{% load static i18n workgroup %}" + NAV_LINK)
    with translation.override(language):
        return template.render({}, request)


def test_the_navbar_link_with_the_unread_count(rf, people):
    bob = people["bob"]
    assert (
        render_nav(rf, bob)
        == f'<li class="nav-item"><a class="nav-link" href="{reverse("workgroup:home")}">کارگروه</a></li>'
    )
    Notification.objects.create(user=bob, kind="x", message="پیام")
    Notification.objects.create(user=bob, kind="x", message="پیام ۲")
    assert 'id="nav-unread" title="اعلان‌ها">۲</span>' in render_nav(rf, bob)
    english = render_nav(rf, bob, "en")
    assert (
        '>Working group <span class="badge text-bg-warning" id="nav-unread" title="Notifications">2</span>'
        in english
    )


def test_the_dashboard_shows_my_agencys_open_resolutions(client, people, customs_resolution):
    client.force_login(people["bob"])
    page = client.get(reverse("stats:home")).content.decode()
    if 'id="my-open-resolutions"' not in page:
        pytest.skip('stats/performance.html does not include "workgroup/_my_open_resolutions.html" yet')
    assert "مصوبات باز اداره کل گمرک" in page and customs_resolution.text in page


def test_the_api_router_is_mounted_on_the_site_api(client, people, customs_resolution):
    from saderat.web.api import api
    from saderat.web.workgroup.api import router

    if not any(r is router for _, r in api._routers):
        pytest.skip(
            'saderat.web.api does not mount the workgroup router yet: api.add_router("/workgroup", router)'
        )
    client.force_login(people["bob"])
    assert [r["code"] for r in client.get("/api/workgroup/resolutions").json()] == ["12-1"]
    assert "/api/workgroup/resolutions" in client.get("/api/openapi.json").json()["paths"]


def test_the_command_has_the_workgroup_commands(customs_resolution, capsys):
    from saderat.cli import build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(["workgroup", "overdue", "--json"])
    except SystemExit:
        pytest.skip("saderat.cli does not call saderat.web.workgroup.cli.register(sub) yet")
    assert args.func(args) == 0
    assert '"agency": "customs"' in capsys.readouterr().out
