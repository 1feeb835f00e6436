"""What one read request computes once: the data version, the verified active batches and the fact table (one
DuckDB connection) are the same for every figure of a page, so a page of ten figures checks the batches' files
and opens the warehouse once instead of ten times.

The memo lives for one GET or HEAD request (:class:`RequestMemoMiddleware`) or one explicit
:func:`request_scope`; writes (POST...) and code outside a request (CLI, worker) compute every time, so that
nothing read before a write is served after it. A figure that finds a damaged file quarantines it and calls
:func:`forget`, and is computed again on fresh values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("saderat_request_memo", default=None)

#: Methods that read only: their request shares one memo.
READ_METHODS = frozenset({"GET", "HEAD"})


def once_per_request(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once in the current read request (every time outside one)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def forget() -> None:
    """Drop what the current request has memoised (after a batch was quarantined)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


@contextmanager
def request_scope() -> Iterator[None]:
    """One memo for the block (a read request; tests and commands that render several figures)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


@contextmanager
def shared_scope() -> Iterator[None]:
    """The current request's memo if there is one, else a memo for the block (a command that renders many
    figures, like ``saderat targets status``)."""
    if _memo.get() is not None:
        yield
        return
    with request_scope():
        yield


class RequestMemoMiddleware:
    """One memo per GET/HEAD request (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_METHODS:
            return self.get_response(request)
        with request_scope():
            return self.get_response(request)
