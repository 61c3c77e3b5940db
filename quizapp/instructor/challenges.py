"""Trainees' challenges for instructors (the trainees they teach) and admins to settle."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from quizapp.auth.roles import role_required
from quizapp.core import qtypes
from quizapp.instructor.routes import bp
from quizapp.models import Role
from quizapp.services import datasets, practice, regrade

staff_only = role_required(Role.INSTRUCTOR, Role.ADMIN)
REPLY_HINT = "The trainee reads this beside their answer."


class RejectForm(FlaskForm):
    reply = TextAreaField(
        "Reply to the trainee",
        description="Required: say why the answer stands. " + REPLY_HINT,
        validators=[
            InputRequired("Write a reply telling the trainee why the answer stands."),
            Length(max=regrade.REPLY_MAX),
        ],
    )


class FactForm(FlaskForm):
    fact = SelectField("The fact that is wrong")
    reply = TextAreaField(
        "Reply to the trainee (optional)",
        description=REPLY_HINT,
        validators=[Optional(), Length(max=regrade.REPLY_MAX)],
    )


def accept_form_class(qtype: qtypes.QuestionType) -> type[FlaskForm]:
    """The question type's own edit form, plus the reply to the trainee."""
    reply = TextAreaField(
        "Reply to the trainee (optional)",
        description=REPLY_HINT,
        validators=[Optional(), Length(max=regrade.REPLY_MAX)],
    )
    base = qtype.edit_form_class()
    return type("Accept" + base.__name__, (base,), {"reply": reply})


# --- pages --------------------------------------------------------------------------------


def _fact_labels(challenge: regrade.Challenge) -> list[SelectChoice]:
    """The facts the question names, in words when the current dataset knows them."""
    known = practice.facts_of(datasets.current())
    labels = []
    for fact_id in challenge.question.fact_ids:
        info = known.get(fact_id)
        text = f"{info.label} of {info.agreement.title}" if info else fact_id
        labels.append(SelectChoice(fact_id, text))
    return labels


def _challenge(dispute_id: int) -> regrade.Challenge:
    found = regrade.visible(dispute_id, current_user)
    if found is None:
        abort(404)
    return regrade.describe(found)


def _evidence() -> dict[str, Any]:
    dataset = datasets.current()
    return {
        "titles": {a.key: a.title for a in dataset.agreements} if dataset else {},
        "sources": dataset.sources if dataset else {},
    }


@bp.get("/challenges")
@staff_only
def challenges():
    """Open challenges, oldest first, then the latest settled ones."""
    return render_template(
        "instructor/challenges.html",
        open_rows=regrade.listing(current_user),
        settled_rows=regrade.listing(current_user, settled=True, limit=30),
        status_text=regrade.STATUS_TEXT,
        **_evidence(),
    )


def _forms(challenge: regrade.Challenge, **given: FlaskForm) -> dict[str, FlaskForm]:
    qtype = qtypes.of(challenge.question)
    accept = given.get("accept") or accept_form_class(qtype)(
        formdata=None, data=qtype.form_data(challenge.question), prefix="accept"
    )
    fact = given.get("fact") or FactForm(formdata=None, prefix="fact")
    fact.fact.choices = _fact_labels(challenge)
    return {
        "reject": given.get("reject") or RejectForm(formdata=None, prefix="reject"),
        "accept": accept,
        "fact": fact,
    }


def _settle_page(challenge: regrade.Challenge, status: int = 200, **given: FlaskForm):
    return render_template(
        "instructor/challenge.html",
        row=challenge,
        forms=_forms(challenge, **given),
        status_text=regrade.STATUS_TEXT,
        **_evidence(),
    ), status


@bp.get("/challenges/<int:dispute_id>")
@staff_only
def challenge(dispute_id: int):
    return _settle_page(_challenge(dispute_id))


def _done(message: str):
    flash(message, "success")
    return redirect(url_for("instructor.challenges"))


def _refused(challenge: regrade.Challenge, name: str, form: FlaskForm, error: Exception):
    form.form_errors.append(str(error))
    return _settle_page(challenge, 422, **{name: form})


@bp.post("/challenges/<int:dispute_id>/reject")
@staff_only
def reject_challenge(dispute_id: int):
    found = _challenge(dispute_id)
    form = RejectForm(prefix="reject")
    if not form.validate_on_submit():
        return _settle_page(found, 422, reject=form)
    try:
        regrade.reject(found.dispute, form.reply.data, current_user)
    except regrade.SettleError as error:
        return _refused(found, "reject", form, error)
    return _done(f"Challenge of {found.trainee.name} rejected; they see your reply.")


@bp.post("/challenges/<int:dispute_id>/fact")
@staff_only
def refer_challenge(dispute_id: int):
    found = _challenge(dispute_id)
    form = FactForm(prefix="fact")
    form.fact.choices = _fact_labels(found)
    if not form.validate_on_submit():
        return _settle_page(found, 422, fact=form)
    label = dict((c.value, c.label) for c in form.fact.choices).get(form.fact.data, "")
    try:
        regrade.refer_to_fact(found.dispute, form.fact.data, label, form.reply.data, current_user)
    except regrade.SettleError as error:
        return _refused(found, "fact", form, error)
    return _done(f"Challenge accepted: correct “{label}” in the dataset.")


@bp.post("/challenges/<int:dispute_id>/accept")
@staff_only
def accept_challenge(dispute_id: int):
    found = _challenge(dispute_id)
    qtype = qtypes.of(found.question)
    form = accept_form_class(qtype)(prefix="accept")
    if not form.validate_on_submit():
        return _settle_page(found, 422, accept=form)
    corrected = qtype.question_from_form(form, base=found.question)
    try:
        done = regrade.accept(found.dispute, corrected, form.reply.data, current_user)
    except regrade.SettleError as error:
        return _refused(found, "accept", form, error)
    made = f" Bank version {done.version} made." if done.version else ""
    count = len({row.attempt_id for row in done.regrades})
    regraded = f"{count} attempt{'' if count == 1 else 's'} regraded."
    if done.settled > 1:
        regraded += f" {done.settled - 1} other open challenge(s) of it settled with your reply."
    stale = ", ".join(f"“{title}”" for title in done.still_giving)
    publish = f" Publish {stale} again so that new attempts get the correction." if stale else ""
    return _done(f"Challenge accepted and the key corrected.{made} {regraded}{publish}")
