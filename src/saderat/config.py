"""Environment configuration, parsed strictly (a wrong value stops start-up with a clear message).

``SADERAT_HOME`` is the data directory: the SQLite workspace database, the Parquet warehouse, uploads and
the secret key live under it. Default: ``~/.saderat``.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path

__all__ = [
    "saderat_home",
    "database_url",
    "secret_key",
    "env_bool",
    "env_int",
    "env_list",
    "env_str",
    "ConfigError",
    "PROFILE_DIR",
    "PROFILE_FILE",
    "profile_defaults",
]


class ConfigError(RuntimeError):
    """A configuration value in the environment cannot be used."""


def env_str(name: str, *, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_iso3(name: str, *, default: str) -> str:
    """A country's ISO 3166-1 alpha-3 code (three Latin letters, any case); a malformed one stops the start
    with the variable named, rather than a page later comparing against nothing."""
    value = env_str(name, default=default).upper()
    if not (len(value) == 3 and value.isascii() and value.isalpha()):
        raise ValueError(f"{name}: an ISO 3166-1 alpha-3 country code such as IRN or TUR, got {value!r}")
    return value


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r}: expected true/false")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r}: expected an integer") from exc


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def saderat_home() -> Path:
    """The data directory (created if missing)."""
    home = Path(env_str("SADERAT_HOME", default=str(Path.home() / ".saderat"))).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_url(home: Path) -> str:
    """``DATABASE_URL`` or the embedded SQLite file in ``home``."""
    return env_str("DATABASE_URL", default=f"sqlite:///{home / 'saderat.sqlite3'}")


def secret_key(home: Path) -> str:
    """``SADERAT_SECRET_KEY`` or a random key generated once and kept in ``home/secret_key``."""
    key = os.environ.get("SADERAT_SECRET_KEY", "").strip()
    if key:
        return key
    path = home / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


#: Where ``saderat profile import`` puts a region profile, inside the data directory
#: (saderat.reference.profile reads and checks it).
PROFILE_DIR = "profile"
PROFILE_FILE = "profile.toml"


def profile_defaults(home: Path) -> dict[str, str]:
    """``region`` (the first of its regions) and ``country`` of the region profile installed in ``home``,
    the defaults of ``SADERAT_PROVINCE`` and ``SADERAT_COUNTRY``; ``{}`` when none is installed. Read with
    tomllib alone (the settings of every process call it); ``saderat profile import`` checked the file."""
    try:
        raw = tomllib.loads((home / PROFILE_DIR / PROFILE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    out = {}
    regions = raw.get("regions")
    if isinstance(regions, list) and regions and isinstance(regions[0], dict) and regions[0].get("code"):
        out["region"] = str(regions[0]["code"]).strip().upper()
    if isinstance(raw.get("country"), str):
        out["country"] = raw["country"].strip().upper()
    return out
