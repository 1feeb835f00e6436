"""Decisions on a held import, taken from its page (real database, real warehouse, the job run in-process as
the test settings ask): the page says exactly why the batch is held and offers only the decisions that apply;
each decision is one step, audited (who, when, which); only the secretariat may decide."""

import json

import pytest
from django.urls import reverse

from saderat.warehouse import queries
from saderat.web.common.models import AuditEvent
from saderat.web.common.warehouse import active_facts
from saderat.web.imports.models import ActiveScope, ImportBatch

HEADER = "year,month,tariff_code,destination,weight_kg,value_usd,customs_office\n"
OLD = HEADER + "1403,1,72085100,عراق,1000,550,15200\n1403,2,08109040,امارات متحده عربي,50,90,15202\n"
NEW = HEADER + "1403,1,72085100,عراق,1000,700,15200\n1403,2,08109040,امارات متحده عربي,50,95,15202\n"
ONE_BAD = HEADER + "1404,1,72085100,عراق,1000,550,15200\n1404,1,72085100,ناکجاآباد,1,1,15200\n"


def html(response) -> str:
    """The page without the Unicode isolate marks the number filters may add (⁦۱⁩ reads as ۱)."""
    return response.content.decode().translate({0x2066: None, 0x2067: None, 0x2068: None, 0x2069: None})


def warehouse_total(year=1403):
    return queries.totals(active_facts(), year=year)["value_usd"]


def upload(client, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with open(path, "rb") as fh:
        client.post(reverse("imports:upload"), {"file": fh, "flow": "export"})
    return ImportBatch.objects.filter(source_name=name).latest("pk")


@pytest.fixture
def overlap(client, people, no_active_data):
    """Alice imported old.csv (active), then new.csv with the same year: held for the overlap."""
    client.force_login(people["alice"])
    old = upload(client, no_active_data, "old.csv", OLD)
    new = upload(client, no_active_data, "new.csv", NEW)
    assert old.status == "active" and new.status == "held"
    return old, new


def decide(client, batch, decision, **extra):
    data = {"decision": decision, **extra}
    return client.post(reverse("imports:decide", args=[batch.pk]), data, follow=True)


def events(batch, action):
    return list(
        AuditEvent.objects.filter(model="imports.ImportBatch", object_id=str(batch.pk), action=action)
    )


def test_a_batch_held_for_overlap_says_which_batch_and_offers_only_its_decisions(client, overlap):
    old, new = overlap
    page = html(client.get(reverse("imports:detail", args=[new.pk])))
    assert new.hold_reason == "overlap"
    assert 'id="hold"' in page and 'data-reasons="overlap"' in page
    # which batch, linked, with its scope (flow, basis, year, months)
    assert f'data-batch="{old.pk}"' in page and reverse("imports:detail", args=[old.pk]) in page
    assert "صادرات" in page and "گمرک ترخیص" in page and "۱۴۰۳" in page
    assert f"هم‌پوشانی با دسته {str(old.pk).translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))}" in page
    # a true status: nothing about rejected rows when none were rejected
    assert "رد شده دارد" not in page and "ردیف رد شده" not in page.split('id="batch-status">')[1][:200]
    for choice in ("replace", "alongside", "discard"):
        assert f'data-decision="{choice}"' in page
    assert 'data-decision="accepted_rows"' not in page
    assert 'id="decide-replace"' in page


def test_replace_batch_n_from_the_page_in_one_decision(client, people, overlap):
    old, new = overlap
    assert warehouse_total() == 640
    # the first click shows what will happen and changes nothing
    confirm = decide(client, new, "replace", replaces=[old.pk])
    page = html(confirm)
    assert confirm.status_code == 200 and 'id="confirm-form"' in page and 'name="confirmed"' in page
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, old.status) == ("held", "active") and not events(new, "accept_held")
    # the confirmation does it
    done = decide(client, new, "replace", replaces=[old.pk], confirmed="1")
    assert done.status_code == 200
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == "active" and old.status == "withdrawn"
    assert old.withdrawn_by == people["alice"] and old.withdrawn_at is not None
    assert warehouse_total() == 795  # this batch's figures, and only them
    assert set(ActiveScope.objects.values_list("batch_id", flat=True)) == {new.pk}
    (decision,) = events(new, "accept_held")
    assert decision.user == people["alice"] and decision.changes["decision"] == "replace"
    assert decision.changes["overlapping"] == [old.pk]
    (withdrawal,) = events(old, "withdraw")
    assert withdrawal.user == people["alice"] and withdrawal.changes == {
        "decision": "replace",
        "replaced_by": new.pk,
    }
    (imported,) = events(new, "import")
    assert imported.user == people["alice"] and imported.changes["replaced"] == [old.pk]
    page = html(done)
    assert 'data-status="active"' in page and 'id="batch-decision"' in page
    old_page = html(client.get(reverse("imports:detail", args=[old.pk])))
    assert 'id="batch-withdrawn"' in old_page and "alice" in old_page
    message = old_page.split('id="batch-message"')[1].split("</div>")[0]
    assert "<bdi>۲</bdi> ردیف — برداشته شد به دست alice در ۱۴" in message and "وارد شد" not in message
    assert reverse("imports:detail", args=[new.pk]) in old_page  # "replaced by batch M", linked


def test_a_stale_replacement_is_refused_and_changes_nothing(client, overlap, no_active_data):
    old, new = overlap
    page = html(decide(client, new, "replace", replaces=[old.pk + 100], confirmed="1"))
    assert "تغییر کرده‌اند" in page
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, old.status) == ("held", "active")
    assert warehouse_total() == 640


def test_import_alongside_needs_the_explicit_confirmation(client, people, overlap):
    old, new = overlap
    page = html(decide(client, new, "alongside"))
    assert 'name="allow_overlap"' in page and "required" in page
    assert f'<input type="hidden" name="replaces" value="{old.pk}">' in page  # the batch it is beside
    page = html(decide(client, new, "alongside", confirmed="1", replaces=[old.pk]))  # box not ticked
    new.refresh_from_db()
    assert new.status == "held" and "صریحاً تأیید" in page
    decide(client, new, "alongside", confirmed="1", allow_overlap="1", replaces=[old.pk])
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, old.status) == ("active", "active")
    assert warehouse_total() == 640 + 795  # counted twice, as confirmed
    (decision,) = events(new, "accept_held")
    assert decision.user == people["alice"] and decision.changes["decision"] == "alongside"


def test_discard_a_held_batch(client, people, overlap):
    old, new = overlap
    assert decide(client, new, "discard").status_code == 200
    new.refresh_from_db()
    assert new.status == "held"
    decide(client, new, "discard", confirmed="1")
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == "discarded" and old.status == "active"
    assert new.withdrawn_by == people["alice"] and new.withdrawn_at is not None
    assert warehouse_total() == 640
    (discard,) = events(new, "withdraw")
    assert discard.user == people["alice"] and discard.changes["decision"] == "discard"
    # a second decision on the same batch is refused
    page = html(decide(client, new, "replace", replaces=[old.pk], confirmed="1"))
    assert "alert-danger" in page or "منتظر تصمیم نیست" in page
    old.refresh_from_db()
    assert old.status == "active"


def test_import_only_the_accepted_rows(client, people, no_active_data):
    client.force_login(people["alice"])
    held = upload(client, no_active_data, "one-bad.csv", ONE_BAD)
    assert held.status == "held" and held.hold_reason == "rejected"
    page = html(client.get(reverse("imports:detail", args=[held.pk])))
    assert 'data-reasons="rejected"' in page and 'id="download-rejected"' in page
    assert "متوقف: ۱ ردیف رد شده" in page and "هم‌پوشانی" not in page
    assert 'data-decision="accepted_rows"' in page and 'data-decision="discard"' in page
    assert 'data-decision="replace"' not in page and 'data-decision="alongside"' not in page
    # counts isolated for RTL, with Persian digits
    assert '<bdi class="num" id="rows-read">۲</bdi>' in page
    assert '<bdi dir="ltr" class="file-name">one-bad.csv</bdi>' in page
    decide(client, held, "accepted_rows")
    held.refresh_from_db()
    assert held.status == "active" and held.rows_accepted == 1
    assert warehouse_total(1404) == 550
    (decision,) = events(held, "accept_held")
    assert decision.user == people["alice"] and decision.changes["decision"] == "accepted_rows"
    assert decision.changes["reasons"] == ["rejected"]


@pytest.mark.parametrize("name", ["bob", "carol"])
def test_only_the_secretariat_decides(client, people, overlap, name):
    old, new = overlap
    client.force_login(people[name])
    for data in ({"decision": "replace", "replaces": [old.pk], "confirmed": "1"}, {"decision": "discard"}):
        assert client.post(reverse("imports:decide", args=[new.pk]), data).status_code == 403
    response = client.post(
        f"/api/imports/batches/{new.pk}/decision",
        json.dumps({"decision": "replace", "confirm": True}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get(f"/api/imports/batches/{new.pk}").status_code == 403
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, old.status) == ("held", "active")
    assert not events(new, "accept_held") and not events(old, "withdraw")


def test_the_list_shows_flow_basis_period_true_status_and_who_withdrew(
    client, people, overlap, no_active_data
):
    old, new = overlap
    bad = upload(client, no_active_data, "one-bad.csv", ONE_BAD)
    page = html(client.get(reverse("imports:list")))
    table = page.split('id="t-batches"')[1]
    for heading in ("جریان", "مبنا", "سال‌ها (و ماه‌ها)", "وضعیت", "ردیف‌ها"):
        assert f"<th>{heading}</th>" in table

    def row(batch):
        return table.split(f'data-batch="{batch.pk}"')[1].split("</tr>")[0]

    held_row = row(new)
    assert (
        '<td class="col-flow">صادرات</td>' in held_row and '<td class="col-basis">گمرک ترخیص</td>' in held_row
    )
    assert '<td class="col-period">۱۴۰۳ (ماه ۱ تا ۲)</td>' in held_row
    assert (
        "هم‌پوشانی با دسته" in row(new)
        and "رد شده" not in row(new).split('class="col-status">')[1].split("</td>")[0]
    )
    assert "متوقف: ۱ ردیف رد شده" in row(bad)
    decide(client, new, "replace", replaces=[old.pk], confirmed="1")
    table = html(client.get(reverse("imports:list"))).split('id="t-batches"')[1]
    rows_cell = row(old).split('class="col-rows">')[1].split("</td>")[0]
    assert rows_cell.startswith("<bdi>۲</bdi> ردیف — برداشته شد به دست alice در ۱۴")
    assert '<bdi dir="ltr" class="file-name">old.csv</bdi>' in row(old)
    assert "<bdi>۲</bdi> ردیف در آمار" in row(new)


def test_the_same_decisions_through_the_json_api(client, people, overlap):
    old, new = overlap
    body = client.get(f"/api/imports/batches/{new.pk}").json()
    assert body["status"] == "held" and body["hold"]["reasons"] == ["overlap"]
    assert body["hold"]["choices"] == ["replace", "alongside", "discard"]
    assert [o["batch"] for o in body["hold"]["overlaps"]] == [old.pk]
    url = f"/api/imports/batches/{new.pk}/decision"
    unconfirmed = client.post(url, json.dumps({"decision": "replace"}), content_type="application/json")
    assert unconfirmed.status_code == 400
    wrong = client.post(url, json.dumps({"decision": "accepted_rows"}), content_type="application/json")
    assert wrong.status_code == 409
    done = client.post(
        url,
        json.dumps({"decision": "replace", "replaces": [old.pk], "confirm": True}),
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "active" and done.json()["decision"]["replaces"] == [old.pk]
    withdrawn = client.get(f"/api/imports/batches/{old.pk}").json()
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_by"] == "alice"
    (decision,) = events(new, "accept_held")
    assert decision.user == people["alice"]


def test_the_same_decisions_from_the_command_line(people, overlap, capsys):
    """`saderat imports show|decide` (the sub-commands :func:`register_decisions` adds), run in this process."""
    import argparse

    from saderat.web.imports.cli import register_decisions

    old, new = overlap
    parser = argparse.ArgumentParser()
    register_decisions(parser.add_subparsers(dest="action", required=True))

    def run(*argv):
        args = parser.parse_args(argv)
        return args.func(args)

    assert run("show", str(new.pk)) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["hold"]["choices"] == ["replace", "alongside", "discard"]
    assert run("decide", str(new.pk), "replace", "--user", "bob", "--yes") == 2  # not the secretariat
    assert run("decide", str(new.pk), "replace", "--user", "alice") == 2  # not confirmed
    new.refresh_from_db()
    assert new.status == "held"
    assert run("decide", str(new.pk), "replace", "--user", "alice", "--replaces", str(old.pk), "--yes") == 0
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, old.status) == ("active", "withdrawn") and old.withdrawn_by == people["alice"]
    (decision,) = events(new, "accept_held")
    assert decision.user == people["alice"] and decision.changes["decision"] == "replace"


THIRD = HEADER + "1403,1,72085100,عراق,1000,800,15200\n"


def test_alongside_is_agreed_beside_the_batches_shown_only(client, people, overlap, no_active_data):
    """The confirmation names batch N; if another batch took N's place before the post, the decision is
    refused; and a batch that turns active between the decision and the job holds the batch again."""
    from saderat.web.imports.jobs import import_run_bounded
    from saderat.web.imports.services import batch_decide

    old, new = overlap
    third = upload(client, no_active_data, "third.csv", THIRD)
    assert third.status == "held"
    # The clerk opened new's "alongside" confirmation (naming old); meanwhile third replaced old.
    decide(client, third, "replace", confirmed="1", replaces=[old.pk])
    third.refresh_from_db()
    assert third.status == "active"
    page = html(decide(client, new, "alongside", confirmed="1", allow_overlap="1", replaces=[old.pk]))
    new.refresh_from_db()
    assert new.status == "held" and "تغییر کرده‌اند" in page
    assert warehouse_total() == 800

    # Agreed beside third; before the job runs, yet another batch turns active: held again, not counted.
    batch_decide(batch=new, decision="alongside", user=people["alice"], replaces=[third.pk], enqueue=False)
    fourth = upload(client, no_active_data, "fourth.csv", OLD.replace("550", "551"))
    decide(client, fourth, "replace", confirmed="1", replaces=[third.pk])
    fourth.refresh_from_db()
    assert fourth.status == "active"
    result = import_run_bounded(new.pk)
    assert result.status == "held" and result.hold_reason == "overlap"
    assert warehouse_total() == 551 + 90
    with pytest.raises(ValueError, match="شماره آن دسته‌ها را بدهید"):
        batch_decide(batch=result, decision="alongside", user=people["alice"], replaces=None)
