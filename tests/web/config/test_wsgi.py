"""The WSGI module (what each gunicorn worker loads): it prepares, while the worker boots, what a worker's
first page would otherwise pay for: imports, the URL reverse index of every namespace in every language, the
compiled templates."""

import os
import subprocess
import sys
import textwrap


def test_a_worker_boots_with_its_templates_compiled_and_every_url_index_built(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path

        import saderat.web.config.wsgi  # noqa: F401 - the worker's boot
        from django.conf import settings
        from django.template import engines
        from django.urls import reverse
        from django.urls.resolvers import URLResolver
        from django.utils import translation

        templates = Path(settings.TEMPLATES[0]["DIRS"][0])
        names = {p.relative_to(templates).as_posix() for p in templates.rglob("*.html")}
        (loader,) = engines["django"].engine.template_loaders
        compiled = set(loader.get_template_cache)
        missing = names - compiled
        assert len(names) > 40 and not missing, sorted(missing)

        built = []
        original = URLResolver._populate
        URLResolver._populate = lambda self: (built.append(self), original(self))[1]
        for code in ("fa", "en"):
            with translation.override(code):
                for name in ("stats:home", "opportunities:list", "targets:list", "workgroup:home",
                             "registry:firms", "quality:compliance", "accounts:login"):
                    reverse(name)
                reverse("opportunities:product", args=["7601"])
        assert built == [], built
        print("ok", len(names))
        """
    )
    # A data directory and database of its own (never the test run's or a developer's: the boot checks the
    # active batches, and would quarantine those whose files it does not find); production settings, the
    # module's own default.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SADERAT_", "DATABASE_URL"))}
    env.update(
        SADERAT_HOME=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'boot.sqlite3'}",
        SADERAT_ALLOWED_HOSTS="*",
        SADERAT_SECRET_KEY="x" * 60,
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok")
