"""Saderat (صادرات): export-development system for Iranian provinces.

Layers (dependencies point one way, towards the top of this list):

- ``saderat.text``, ``saderat.jalali``: Persian text and calendar helpers, pure.
- ``saderat.analytics``: pure numpy/pandas indicators (no Django, no I/O).
- ``saderat.reference``: loaders for the reference tables shipped in ``saderat/data``.
- ``saderat.ingest``: readers for source files, normalisation, validation.
- ``saderat.warehouse``: the only code that knows where trade facts are stored (Parquet + DuckDB via Ibis).
- ``saderat.web``: the Django project (workspace database, pages, API); ``saderat.cli``: the command line.
"""

__version__ = "0.1.0"
