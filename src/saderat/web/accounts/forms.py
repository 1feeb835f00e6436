from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Username and password, and whether to stay logged in after the browser is closed."""

    remember = forms.BooleanField(label=_("مرا به خاطر بسپار"), required=False)
