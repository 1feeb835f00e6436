"""Audit of who changed what: models opt in with :func:`audited`; every save and delete is recorded.

The acting user comes from the request (``AuditUserMiddleware``) or, in commands, from :func:`acting_as`.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save, pre_save

current_user: contextvars.ContextVar = contextvars.ContextVar("saderat_audit_user", default=None)
_AUDITED: set[type] = set()


def audited(model_cls):
    """Class decorator: record creates, updates (with field diffs) and deletes of this model."""
    _AUDITED.add(model_cls)
    return model_cls


@contextmanager
def acting_as(user):
    token = current_user.set(user)
    try:
        yield
    finally:
        current_user.reset(token)


def _snapshot(instance) -> dict:
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in {"password", "last_login"}:
            continue
        value = getattr(instance, f.attname)
        data[f.name] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
    return data


def record(
    *, action: str, instance=None, model: str = "", object_id: str = "", object_repr: str = "", changes=None
):
    from saderat.web.common.models import AuditEvent

    user = current_user.get()
    if instance is not None:
        model = model or instance._meta.label
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:255]
    AuditEvent.objects.create(
        user=user if user is not None and getattr(user, "pk", None) else None,
        action=action,
        model=model,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=changes or {},
    )


def _pre_save(sender, instance, **kwargs):
    if sender not in _AUDITED or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = _snapshot(old) if old is not None else None


def _post_save(sender, instance, created, **kwargs):
    if sender not in _AUDITED or kwargs.get("raw"):
        return
    after = _snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(action="create", instance=instance, changes={"after": after})
        return
    diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if diff:
        record(action="update", instance=instance, changes=diff)


def _post_delete(sender, instance, **kwargs):
    if sender not in _AUDITED:
        return
    record(action="delete", instance=instance, changes={"before": _snapshot(instance)})


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="saderat_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="saderat_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="saderat_audit_post_delete")
