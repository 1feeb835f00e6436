"""Local use and the demo: the embedded SQLite default, DEBUG off unless asked for."""

from .base import *  # noqa: F403
