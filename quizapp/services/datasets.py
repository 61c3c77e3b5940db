"""Storing dataset versions and reading the current one back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from quizapp.core.dataset import Dataset, fact_id, fact_to_plain, from_dict, to_raw
from quizapp.extensions import db
from quizapp.models import DatasetVersion, FactRecord, utcnow
from quizapp.services import audit, bank

T = TypeVar("T")


@dataclass
class LoadReport:
    """What a load did: the version, whether it was new, and how facts changed."""

    version: str
    created: bool
    counts: dict[str, int]
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def _fact_rows(dataset: Dataset) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for agreement, kind, fact in dataset.facts():
        key = fact_id(agreement.key, kind, fact)
        plain = fact_to_plain(fact)
        rows[key] = {
            "fact_id": key,
            "agreement_key": agreement.key,
            "kind": kind,
            "value": plain["value"],
            "quotes": plain["quotes"],
            "source": fact.source,
        }
    return rows


def latest_version() -> DatasetVersion | None:
    return db.session.scalars(
        db.select(DatasetVersion)
        .order_by(DatasetVersion.loaded_at.desc(), DatasetVersion.id.desc())
        .limit(1)
    ).first()


def load(dataset: Dataset, commit: bool = True) -> LoadReport:
    """Store the dataset as a new version in one transaction; the same data twice is a no-op.
    With ``commit=False`` the caller commits (to load question sets in the same transaction)."""
    version = dataset.version
    counts = dataset.counts()
    previous = latest_version()
    if previous is not None and previous.version == version:
        return LoadReport(version, created=False, counts=counts)
    existing = db.session.scalars(
        db.select(DatasetVersion).where(DatasetVersion.version == version)
    ).first()
    rows = _fact_rows(dataset)
    report = _compare(previous, rows, version, counts)
    bank.flag_changed_facts(
        [*report.changed, *report.removed], f"Dataset {version[:12]} changed a fact it names."
    )
    if existing is not None:
        # Going back to an earlier version makes it the latest again.
        existing.loaded_at = utcnow()
        audit.record("data.load", version[:12], {"version": version, "again": True})
        _finish(commit)
        return report
    record = DatasetVersion(
        version=version,
        counts=counts,
        snapshot={"raw": to_raw(dataset), "texts": {k: s.text for k, s in dataset.sources.items()}},
    )
    record.facts = [FactRecord(**row) for row in rows.values()]
    db.session.add(record)
    audit.record("data.load", version[:12], {"version": version, "counts": counts})
    _finish(commit)
    return report


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def _compare(
    previous: DatasetVersion | None,
    rows: dict[str, dict[str, Any]],
    version: str,
    counts: dict[str, int],
) -> LoadReport:
    report = LoadReport(version, created=True, counts=counts)
    if previous is None:
        return report
    old = {f.fact_id: f for f in previous.facts}
    report.added = sorted(set(rows) - set(old))
    report.removed = sorted(set(old) - set(rows))
    report.changed = sorted(
        key
        for key in set(rows) & set(old)
        if (old[key].value, old[key].quotes) != (rows[key]["value"], rows[key]["quotes"])
    )
    return report


def loaded_files() -> list[str]:
    """The dataset files the latest version was loaded from (absolute paths)."""
    record = latest_version()
    return list(record.snapshot.get("files", [])) if record else []


def record_files(version: str, files: list[str]) -> None:
    """Remember which files make up ``version``, so the next load keeps them."""
    record = db.session.scalars(
        db.select(DatasetVersion).where(DatasetVersion.version == version)
    ).first()
    if record is not None and record.snapshot.get("files") != files:
        record.snapshot = {**record.snapshot, "files": files}
        db.session.commit()


@dataclass(frozen=True)
class Stamp:
    """Which dataset version is current and when it was loaded: what caches are keyed on."""

    version: str
    loaded_at: datetime


def current_stamp() -> Stamp | None:
    """The current version and its load time: one small indexed read, cheap on every request.

    Every worker and every app instance asks the database, so a `data load` anywhere is seen
    by the next request everywhere; only the version's contents are cached in the process.
    """
    row = db.session.execute(
        db.select(DatasetVersion.version, DatasetVersion.loaded_at)
        .order_by(DatasetVersion.loaded_at.desc(), DatasetVersion.id.desc())
        .limit(1)
    ).first()
    return Stamp(*row) if row else None


# The dataset of the version last asked for, rebuilt from its snapshot once per process,
# and values computed from it (the timeline, ...), dropped when the version changes.
_cache: dict[str, Dataset] = {}
_derived: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def current() -> Dataset | None:
    """The latest loaded dataset, rebuilt from its snapshot once per version."""
    stamp = current_stamp()
    return None if stamp is None else dataset_of(stamp.version)


def dataset_of(version: str) -> Dataset:
    """The dataset of a stored version, from memory after the first call."""
    if (dataset := _cache.get(version)) is not None:
        return dataset
    snapshot = db.session.scalars(
        db.select(DatasetVersion.snapshot).where(DatasetVersion.version == version)
    ).one()
    dataset = from_dict(snapshot["raw"], snapshot["texts"])
    with _lock:
        _cache.clear()
        _derived.clear()
        _cache[version] = dataset
    return dataset


def derived(dataset: Dataset, name: str, compute: Callable[[Dataset], T]) -> T:
    """`compute(dataset)`, computed once per dataset version and name, then kept in memory."""
    key = (dataset.version, name)
    if key not in _derived:
        _derived[key] = compute(dataset)
    return _derived[key]
