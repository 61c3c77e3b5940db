"""Question statistics pages (Moodle's quiz statistics report), for admins and instructors.

Admins see every trainee's attempts, or one cohort's; instructors only the attempts of
trainees in the cohorts they teach, so cohort Y never reaches the teacher of cohort X.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import Select

from quizapp.admin.routes import bp
from quizapp.auth.roles import role_required
from quizapp.core import charts
from quizapp.core import stats as core
from quizapp.extensions import db
from quizapp.models import Cohort, QuizVersion, Role
from quizapp.services import cohorts, coverage, item_stats

STAFF = (Role.ADMIN, Role.INSTRUCTOR)
THRESHOLDS = {
    "facility_low": core.FACILITY_LOW,
    "facility_high": core.FACILITY_HIGH,
    "discrimination": core.DISCRIMINATION_WEAK,
    "efficiency": core.EFFICIENCY_WEAK,
}


def chosen_cohort() -> Cohort | None:
    """The cohort named by ?cohort=, if the viewer may see it (404 otherwise)."""
    chosen = request.args.get("cohort", type=int)
    if not chosen:
        return None
    cohort = db.session.get(Cohort, chosen)
    if cohort is None or not cohorts.can_manage(current_user, cohort):
        abort(404)
    return cohort


def trainee_scope(cohort: Cohort | None) -> tuple[Select | None, object]:
    """The trainees whose attempts the viewer may count, and a name for that scope."""
    if cohort is not None:
        return cohorts.trainee_ids(cohort), ("cohort", cohort.id)
    if current_user.role == Role.ADMIN:
        return None, None
    return cohorts.trainee_ids_taught_by(current_user.id), ("instructor", current_user.id)


def _page(report: item_stats.Report, cohort: Cohort | None, **extra) -> str:
    return render_template(
        "admin/statistics.html",
        report=report,
        cohort=cohort,
        cohorts=cohorts.manageable_by(current_user),
        thresholds=THRESHOLDS,
        bands=item_stats.score_bands(report) if report.quiz else [],
        charts=_charts(report),
        **extra,
    )


def _charts(report: item_stats.Report) -> dict[str, str]:
    """The score distribution and each question's facility against its discrimination."""
    found = {}
    if report.quiz and report.attempts:
        bands = item_stats.score_bands(report)
        found["distribution"] = charts.bar_chart(
            "distribution",
            f"Score distribution of {report.title}",
            "How many attempts scored in each tenth of the maximum mark; "
            "the table below gives the same numbers.",
            bands,
            "Score (% of the maximum mark)",
            charts.count_axis("Attempts", max(n for _, n in bands)),
        )
    points = [
        (f"Q{item.number}", item.stats.facility_index, item.stats.discrimination_index)
        for item in report.items
        if item.stats.discrimination_index is not None
    ]
    if points:
        found["scatter"] = charts.scatter_chart(
            "scatter",
            "Facility against discrimination",
            "Each question as a point: facility index across, discrimination index up; "
            "the question table gives the same numbers.",
            points,
            charts.Axis("Facility index (%)", 0, 100),
            charts.Axis("Discrimination index", -100, 100, steps=4),
        )
    return found


@bp.get("/reports/statistics")
@role_required(*STAFF)
def statistics_index() -> str:
    """The quiz versions with finished attempts the viewer may see, and practice."""
    cohort = chosen_cohort()
    user_ids, _ = trainee_scope(cohort)
    return render_template(
        "admin/statistics_index.html",
        versions=item_stats.versions(user_ids),
        cohort=cohort,
        cohorts=cohorts.manageable_by(current_user),
    )


@bp.get("/reports/statistics/<int:version_id>")
@role_required(*STAFF)
def statistics(version_id: int) -> str:
    """Moodle's quiz statistics for one published quiz version."""
    version = db.get_or_404(QuizVersion, version_id)
    cohort = chosen_cohort()
    user_ids, scope_key = trainee_scope(cohort)
    report = item_stats.for_quiz_version(version.id, user_ids, scope_key)
    return _page(report, cohort, version=version)


@bp.get("/reports/statistics/practice")
@role_required(*STAFF)
def statistics_practice() -> str:
    """Question statistics over practice attempts, each question by its stable identity."""
    cohort = chosen_cohort()
    user_ids, scope_key = trainee_scope(cohort)
    return _page(item_stats.for_practice(user_ids, scope_key), cohort, version=None)


# --- coverage map ------------------------------------------------------------------------


def _coverage_cohorts() -> list[Cohort]:
    """The cohorts asked for (?cohort=, repeatable) among those the viewer may see; else all."""
    allowed = cohorts.manageable_by(current_user)
    asked = set(request.args.getlist("cohort", type=int))
    if not asked:
        return allowed
    chosen = [cohort for cohort in allowed if cohort.id in asked]
    if len(chosen) != len(asked):
        abort(404)
    return chosen


@bp.get("/reports/coverage")
@role_required(*STAFF)
def coverage_map() -> str:
    """Facts by cohort: how well each cohort knows each fact, sortable by a cohort's column."""
    shown = _coverage_cohorts()
    found = coverage.map([cohort.id for cohort in shown])
    sort = request.args.get("sort", type=int)
    column = next((i for i, c in enumerate(found.cohorts) if c.id == sort), None)
    descending = request.args.get("dir") == "desc"
    return render_template(
        "admin/coverage.html",
        coverage=found,
        rows=coverage.sorted_rows(found, column, descending),
        column=column,
        descending=descending,
        choices=cohorts.manageable_by(current_user),
        chosen={cohort.id for cohort in shown} if request.args.get("cohort") else set(),
        levels=coverage.LEVELS,
    )
