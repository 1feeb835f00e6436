"""Entry point of the child process that runs one import: ``python -m saderat.web.imports.runner BATCH_ID``.

Started by :func:`saderat.web.imports.jobs.import_run_bounded` with the parent's environment (settings module,
data directory, database); exits 0 when the batch's outcome is recorded, whatever it is.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    batch_id = int(argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saderat.web.config.settings.dev")
    import django

    django.setup()
    from saderat.web.imports.jobs import import_run

    import_run(batch_id)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
