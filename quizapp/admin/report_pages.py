"""Report pages for admins: confusion per fact (the wrong answers given about each fact)."""

from __future__ import annotations

from flask import render_template, request

from quizapp.admin.routes import bp
from quizapp.auth.roles import role_required
from quizapp.extensions import db
from quizapp.models import Cohort, Role
from quizapp.services import cohorts, coverage, datasets, reports


@bp.get("/reports/confusion")
@role_required(Role.ADMIN)
def confusion() -> str:
    """For each fact, the wrong answers given and how often; optionally for one cohort."""
    cohort = _cohort_arg()
    user_ids = cohorts.trainee_ids(cohort) if cohort else None
    # The coverage map's names for facts, so that both reports name a fact alike.
    names = {key: (title, label) for key, title, label in coverage._facts(datasets.current())}
    return render_template(
        "admin/confusion.html",
        facts=reports.confusion_per_fact(user_ids),
        cohorts=db.session.scalars(db.select(Cohort).order_by(Cohort.name)).all(),
        cohort=cohort,
        names=names,
    )


def _cohort_arg() -> Cohort | None:
    chosen = request.args.get("cohort", type=int)
    return db.session.get(Cohort, chosen) if chosen else None
