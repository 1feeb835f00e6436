"""Log in (with "remember me") and log out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views

from saderat.web.accounts.forms import LoginForm
from saderat.web.common.middleware import REMEMBER_SESSION_KEY


class LoginView(auth_views.LoginView):
    """Django's login view. Without "remember me" the session ends when the browser is closed (and after
    ``SADERAT_SESSION_IDLE_MINUTES`` without a request, see
    :class:`saderat.web.common.middleware.IdleSessionMiddleware`); with it,
    the session cookie lasts ``SESSION_COOKIE_AGE`` (14 days). Failed attempts are counted by django-axes."""

    template_name = "accounts/login.html"
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)  # logs in: a new session
        session = self.request.session
        if form.cleaned_data.get("remember"):
            session[REMEMBER_SESSION_KEY] = True
            session.set_expiry(settings.SESSION_COOKIE_AGE)
        else:
            session.set_expiry(0)  # until the browser is closed
        return response
