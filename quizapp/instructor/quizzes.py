"""The quiz builder, publishing, assigning to cohorts, and results (instructors and admins)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from quizapp.auth.roles import role_required
from quizapp.core import attempt as engine
from quizapp.core.quizzes import DrawSlot, FixedSlot
from quizapp.extensions import db
from quizapp.instructor.quiz_forms import AssignForm, DrawForm, FixedForm, NewQuizForm, SettingsForm
from quizapp.instructor.routes import bp
from quizapp.limits import in_id_range
from quizapp.models import Attempt, Cohort, Quiz, Role, Status, User, utcnow
from quizapp.services import assignments, attempts, bank, cohorts, datasets, quizzes, reports

staff_only = role_required(Role.INSTRUCTOR, Role.ADMIN)
SEARCH_SIZE = 10


def _quiz(quiz_id: int) -> Quiz:
    found = quizzes.get(quiz_id)
    if found is None:
        abort(404)
    return found


def _edit_url(quiz: Quiz, anchor: str = "") -> str:
    return url_for("instructor.quiz", quiz_id=quiz.id) + (f"#{anchor}" if anchor else "")


def _add_problems(form: FlaskForm, problems: dict[str, str]) -> None:
    """Each service problem under its field (or the form's first field)."""
    for name, message in problems.items():
        field = form._fields.get(name) or next(iter(form))
        field.errors = [*field.errors, message]


# --- list and create ----------------------------------------------------------------------


@bp.get("/quizzes")
@staff_only
def quizzes_list():
    return render_template("instructor/quizzes.html", rows=quizzes.listing(), form=NewQuizForm())


@bp.post("/quizzes")
@staff_only
def create_quiz():
    form = NewQuizForm()
    if form.validate_on_submit():
        try:
            quiz = quizzes.create(form.title.data, "", current_user.id)
        except quizzes.QuizFormError as error:
            _add_problems(form, error.problems)
        else:
            flash(f"Quiz {quiz.title} created: add questions, then publish it.", "success")
            return redirect(_edit_url(quiz))
    page = render_template("instructor/quizzes.html", rows=quizzes.listing(), form=form)
    return page, 422


# --- the builder ------------------------------------------------------------------------


def _set_choices() -> list[SelectChoice]:
    return [SelectChoice(s.id, s.name) for s in bank.sets()]


def _builder(quiz: Quiz, status: int = 200, **forms) -> tuple[str, int]:
    """The builder page, with any forms that came back with errors."""
    settings_form = forms.get("settings_form")
    if settings_form is None:
        settings_form = SettingsForm(formdata=None)
        settings_form.fill(quiz.title, quiz.description, quizzes.settings_of(quiz))
    text = request.args.get("q", "").strip()
    found = bank.search(bank.Filters(text=text), size=SEARCH_SIZE) if text else None
    assign_form = forms.get("assign_form") or AssignForm(formdata=None)
    taught = cohorts.manageable_by(current_user)
    assign_form.cohort_id.choices = [SelectChoice(c.id, c.name) for c in taught]
    return render_template(
        "instructor/quizzes_edit.html",
        quiz=quiz,
        live=quizzes.live(quiz),
        slots=quizzes.slot_rows(quizzes.slots_of(quiz)),
        problems=quizzes.problems(quiz),
        settings_form=settings_form,
        draw_form=forms.get("draw_form") or DrawForm(formdata=None, set_choices=_set_choices()),
        fixed_form=forms.get("fixed_form") or FixedForm(formdata=None),
        assign_form=assign_form,
        assigned=assignments.of_quiz(quiz, current_user),
        search_text=text,
        found=found,
        confirm=FlaskForm(),
        published=Status.PUBLISHED,
    ), status


@bp.get("/quizzes/<int:quiz_id>")
@staff_only
def quiz(quiz_id: int):
    return _builder(_quiz(quiz_id))


@bp.post("/quizzes/<int:quiz_id>/settings")
@staff_only
def quiz_settings(quiz_id: int):
    found = _quiz(quiz_id)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            quizzes.update(found, form.title.data, form.description.data or "", form.settings())
        except quizzes.QuizFormError as error:
            _add_problems(form, error.problems)
        else:
            flash("Settings saved. Publish the quiz for trainees to get them.", "success")
            return redirect(_edit_url(found, "settings"))
    return _builder(found, 422, settings_form=form)


@bp.post("/quizzes/<int:quiz_id>/fixed")
@staff_only
def add_fixed(quiz_id: int):
    found = _quiz(quiz_id)
    form = FixedForm()
    if form.validate_on_submit():
        try:
            quizzes.add_slot(found, FixedSlot(form.question_id.data, mark=form.mark.data))
        except quizzes.QuizFormError as error:
            flash(" ".join(error.problems.values()), "error")
        else:
            flash("Question added.", "success")
        return redirect(_edit_url(found, "slots"))
    flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(_edit_url(found, "slots"))


@bp.post("/quizzes/<int:quiz_id>/draws")
@staff_only
def add_draw(quiz_id: int):
    found = _quiz(quiz_id)
    form = DrawForm(set_choices=_set_choices())
    if form.validate_on_submit():
        slot = DrawSlot(
            form.set_id.data,
            form.count.data,
            form.type.data or "",
            (form.tag.data or "").strip(),
            form.mark.data,
        )
        try:
            quizzes.add_slot(found, slot)
        except quizzes.QuizFormError as error:
            _add_problems(form, error.problems)
        else:
            flash("Random draw added.", "success")
            return redirect(_edit_url(found, "slots"))
    return _builder(found, 422, draw_form=form)


def _confirmed() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


@bp.post("/quizzes/<int:quiz_id>/slots/<int:index>/<any(up,down):direction>")
@staff_only
def move_slot(quiz_id: int, index: int, direction: str):
    found = _quiz(quiz_id)
    _confirmed()
    quizzes.move_slot(found, index - 1, -1 if direction == "up" else 1)
    return redirect(_edit_url(found, "slots"))


@bp.post("/quizzes/<int:quiz_id>/slots/<int:index>/remove")
@staff_only
def remove_slot(quiz_id: int, index: int):
    found = _quiz(quiz_id)
    _confirmed()
    quizzes.remove_slot(found, index - 1)
    flash(f"Slot {index} removed.", "success")
    return redirect(_edit_url(found, "slots"))


@bp.post("/quizzes/<int:quiz_id>/publish")
@staff_only
def publish(quiz_id: int):
    found = _quiz(quiz_id)
    _confirmed()
    try:
        version = quizzes.publish(found, current_user.id)
    except quizzes.PublishRefused:
        flash("Not published: fix the problems listed under Publish first.", "error")
        return _builder(found, 422)
    flash(f"Published as version {version.number}.", "success")
    return redirect(_edit_url(found))


# --- assigning and results ------------------------------------------------------------------


@bp.post("/quizzes/<int:quiz_id>/assignments")
@staff_only
def assign(quiz_id: int):
    found = _quiz(quiz_id)
    form = AssignForm()
    if form.validate_on_submit():
        chosen = form.cohort_id.data
        cohort = db.session.get(Cohort, chosen) if in_id_range(chosen) else None
        try:
            assignments.assign(found, cohort, form.due(), current_user)
        except assignments.AssignmentError as error:
            _add_problems(form, {error.field: error.message})
        else:
            flash(f"Assigned to {cohort.name}.", "success")
            return redirect(_edit_url(found, "assign"))
    return _builder(found, 422, assign_form=form)


@bp.post("/assignments/<int:assignment_id>/remove")
@staff_only
def unassign(assignment_id: int):
    found = assignments.visible(assignment_id, current_user)
    if found is None:
        abort(404)
    _confirmed()
    quiz_id, name = found.quiz_id, found.cohort.name
    assignments.unassign(found)
    flash(f"No longer assigned to {name}.", "success")
    return redirect(url_for("instructor.quiz", quiz_id=quiz_id) + "#assign")


@bp.get("/assignments/<int:assignment_id>")
@staff_only
def assignment_results(assignment_id: int):
    found = assignments.visible(assignment_id, current_user)
    if found is None:
        abort(404)
    live = quizzes.live(found.quiz)
    return render_template(
        "instructor/quizzes_results.html",
        assignment=found,
        settings=quizzes.settings_of(live),
        rows=assignments.results(found, utcnow()),
    )


@bp.get("/attempts/<int:attempt_id>")
@staff_only
def attempt_review(attempt_id: int):
    found = db.session.get(Attempt, attempt_id)
    if found is None or not assignments.may_see_attempt(current_user, found):
        abort(404)
    attempts.expire_if_overdue(found)
    items = attempts.review_items(found) if found.state == engine.FINISHED else []
    dataset = datasets.current()
    return render_template(
        "instructor/quizzes_attempt.html",
        attempt=found,
        trainee=db.session.get(User, found.user_id),
        items=items,
        titles={a.key: a.title for a in dataset.agreements} if dataset else {},
        sources=dataset.sources if dataset else {},
        steps=reports.step_log(found),
    )
