"""`saderat create-user` and `saderat set-password` run the password validators: a weak password is refused
in Persian with exit status 1 and nothing saved; a generated password passes them."""

import pytest
from django.contrib.auth.password_validation import validate_password

from saderat.cli import main
from saderat.web.accounts.models import User
from saderat.web.accounts.services import WEAK_PASSWORD, password_generate, user_create
from saderat.web.accounts.validators import TOO_SHORT

pytestmark = pytest.mark.django_db

TOO_SHORT_FA = str(TOO_SHORT) % {"min_length": "۱۰"}
COMMON_FA = "این رمز عبور بسیار رایج است."  # Django's own Persian message
NUMERIC_FA = "رمز شما کلا عدد است"


def weak(*reasons: str) -> str:
    return str(WEAK_PASSWORD) % {"reasons": " ".join(reasons)}


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("kutah-9", [TOO_SHORT_FA]),
        ("password123", [COMMON_FA]),
        ("۱۲۳۴", [TOO_SHORT_FA, NUMERIC_FA]),
        ("83920174650193", [NUMERIC_FA]),
    ],
)
def test_create_user_refuses_a_weak_password(capsys, password, reasons):
    code = main(["create-user", "erfan", "--role", "viewer", "--password", password])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == weak(*reasons)
    assert out == ""
    assert not User.objects.filter(username="erfan").exists()


def test_create_user_with_a_strong_password(capsys):
    assert main(["create-user", "erfan", "--role", "viewer", "--password", "saffron-tabriz-1404"]) == 0
    assert "created erfan" in capsys.readouterr().out
    assert User.objects.get(username="erfan").check_password("saffron-tabriz-1404")


def test_set_password_refuses_a_weak_password_and_keeps_the_old_one(capsys, people):
    code = main(["set-password", "carol", "--password", "123"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == weak(TOO_SHORT_FA, COMMON_FA, NUMERIC_FA)
    assert "password:" not in out
    carol = User.objects.get(username="carol")
    assert carol.check_password("carol-pass-123") and not carol.check_password("123")


def test_set_password_generates_one_that_passes_the_validators(capsys, people):
    assert main(["set-password", "carol"]) == 0
    password = capsys.readouterr().out.strip().rsplit("password: ", 1)[1]
    validate_password(password)  # raises if weak
    assert len(password) >= 16
    assert User.objects.get(username="carol").check_password(password)


def test_set_password_with_a_strong_password(capsys, people):
    assert main(["set-password", "carol", "--password", "pistachio-rafsanjan-7"]) == 0
    assert User.objects.get(username="carol").check_password("pistachio-rafsanjan-7")


def test_generated_passwords_pass_and_differ():
    passwords = {password_generate() for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        validate_password(password)


def test_user_create_service_runs_the_validators():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        user_create(username="erfan", password="qwertyuiop", role="viewer")
    assert caught.value.messages == [weak(COMMON_FA)]
    assert not User.objects.filter(username="erfan").exists()
