"""Public pages: what quizapp is, the agreements, their timeline and study pages."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from quizapp.core.present import KIND_LABELS, fact_text
from quizapp.core.timeline import timeline
from quizapp.extensions import db
from quizapp.services import datasets

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    dataset = datasets.current()
    return render_template("public/home.html", dataset=dataset, timeline=timeline(dataset))


@bp.get("/timeline")
def timeline_page():
    dataset = datasets.current()
    return render_template("public/timeline.html", dataset=dataset, timeline=timeline(dataset))


@bp.get("/agreements/<key>")
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
    return render_template(
        "public/agreement.html",
        dataset=dataset,
        agreement=item,
        facts=facts,
        missing=missing,
        source=dataset.sources[item.source],
    )


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        record = datasets.latest_version()
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database=False, dataset_version=None), 503
    return jsonify(status="ok", database=True, dataset_version=record.version if record else None)
