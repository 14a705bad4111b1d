"""File SEN entries → register snapshots, and merging them without duplicates (pure)."""

from __future__ import annotations

from datetime import date

from apps.exchange.history import Snapshot, identified_on, merge, timeline
from apps.exchange.records import NeedEntry, ProvisionEntry, PupilRecord

TODAY = date(2025, 6, 1)


def rec(provisions, needs) -> PupilRecord:
    return PupilRecord(
        row=1, label="Pupil 1", upn="X", values={}, provisions=provisions, needs=needs
    )


def test_provision_and_need_changes_become_dated_snapshots():
    r = rec(
        [ProvisionEntry(date(2020, 9, 1), "K"), ProvisionEntry(date(2022, 1, 20), "E")],
        [
            NeedEntry(date(2020, 9, 1), date(2022, 1, 19), 1, "SLCN"),
            NeedEntry(date(2022, 1, 20), None, 1, "ASD"),
            NeedEntry(date(2021, 3, 1), None, 2, "SEMH"),
        ],
    )
    assert timeline(r, today=TODAY) == [
        Snapshot(date(2020, 9, 1), "K", "SLCN", ""),
        Snapshot(date(2021, 3, 1), "K", "SLCN", "SEMH"),
        Snapshot(date(2022, 1, 20), "E", "ASD", "SEMH"),
    ]


def test_coming_off_the_register_drops_the_needs():
    r = rec(
        [ProvisionEntry(date(2020, 9, 1), "K"), ProvisionEntry(date(2023, 7, 1), "N")],
        [NeedEntry(date(2020, 9, 1), None, 1, "MLD")],
    )
    snaps = timeline(r, today=TODAY)
    assert snaps[-1] == Snapshot(date(2023, 7, 1), "N", "", "")
    assert identified_on(snaps) is None


def test_merge_adds_only_what_is_new_and_nothing_twice():
    held = [Snapshot(date(2020, 9, 1), "K", "SLCN", "")]
    incoming = [
        Snapshot(date(2020, 9, 1), "K", "SLCN", ""),
        Snapshot(date(2022, 1, 20), "E", "ASD", ""),
    ]
    added = merge(held, incoming)
    assert added == [Snapshot(date(2022, 1, 20), "E", "ASD", "")]
    assert merge(held + added, incoming) == []


def test_merge_skips_a_snapshot_that_repeats_the_state_in_force():
    held = [Snapshot(date(2020, 9, 1), "K", "SLCN", "")]
    # Another school recorded the same state starting later: nothing changed.
    assert merge(held, [Snapshot(date(2021, 4, 1), "K", "SLCN", "")]) == []


def test_date_identified_is_the_start_of_the_current_spell():
    snaps = [
        Snapshot(date(2019, 1, 1), "K", "SLCN"),
        Snapshot(date(2020, 1, 1), "N"),
        Snapshot(date(2021, 5, 1), "K", "MLD"),
        Snapshot(date(2022, 5, 1), "E", "MLD"),
    ]
    assert identified_on(snaps) == date(2021, 5, 1)
