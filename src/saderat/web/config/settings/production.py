"""Several users: PostgreSQL via DATABASE_URL, behind a reverse proxy that terminates TLS.

``saderat manage check --deploy`` passes with these settings and nothing else than the secret key and the
host names in the environment. HTTPS only: HSTS for a year on the host and its subdomains (not "preload":
that submits the domain to the browsers' built-in lists, a decision for the domain's owner, hard to undo);
plain HTTP is redirected by Django unless ``SADERAT_SSL_REDIRECT=false`` (a proxy that already redirects);
cookies only over HTTPS unless ``SADERAT_SECURE_COOKIES=false`` (a test installation on plain HTTP).
"""

from saderat import config

from .base import *  # noqa: F403

# The proxy says which requests came over HTTPS (nginx: proxy_set_header X-Forwarded-Proto $scheme).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = config.env_bool("SADERAT_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = config.env_int("SADERAT_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = config.env_bool("SADERAT_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# check --deploy warns (security.W021) when HSTS preload is off; off is deliberate, see above.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
