"""Public pages: what quizapp is, the agreements, their timeline and study pages."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from quizapp.core.dataset import Dataset
from quizapp.core.present import KIND_LABELS, fact_text
from quizapp.core.timeline import Timeline, timeline
from quizapp.extensions import db
from quizapp.models import DatasetVersion
from quizapp.public.cache import cached_public_page, public_page
from quizapp.services import datasets

bp = Blueprint("public", __name__)


def _timeline(dataset: Dataset | None) -> Timeline:
    """The timeline, computed once per dataset version."""
    return timeline(None) if dataset is None else datasets.derived(dataset, "timeline", timeline)


@bp.get("/")
@cached_public_page
def home():
    dataset = datasets.current()
    return public_page(
        "public/home.html", "Agreements", dataset=dataset, timeline=_timeline(dataset)
    )


@bp.get("/timeline")
@cached_public_page
def timeline_page():
    dataset = datasets.current()
    return public_page(
        "public/timeline.html", "Timeline", dataset=dataset, timeline=_timeline(dataset)
    )


@bp.get("/agreements/<key>")
@cached_public_page
def agreement(key: str):
    dataset = datasets.current()
    if dataset is None:
        abort(404)
    try:
        item = dataset.agreement(key)
    except KeyError:
        abort(404, description=f"There is no agreement with the key “{key}”.")
    facts = [
        (KIND_LABELS[kind], fact_text(dataset, kind, fact), fact) for kind, fact in item.facts()
    ]
    missing = [KIND_LABELS[kind] for kind in KIND_LABELS if not item.known(kind)]
    return public_page(
        "public/agreement.html",
        item.title,
        dataset=dataset,
        agreement=item,
        facts=facts,
        missing=missing,
        source=dataset.sources[item.source],
    )


# Built once: /healthz runs it on a pooled connection, with no ORM session around it.
LATEST_VERSION = (
    select(DatasetVersion.version)
    .order_by(DatasetVersion.loaded_at.desc(), DatasetVersion.id.desc())
    .limit(1)
)


@bp.get("/healthz")
def healthz():
    """Whether the database answers, and the dataset version it serves: one small query."""
    try:
        with db.engine.connect() as connection:
            version = connection.execute(LATEST_VERSION).scalar()
    except SQLAlchemyError:
        return jsonify(status="unavailable", database=False, dataset_version=None), 503
    return jsonify(status="ok", database=True, dataset_version=version)
