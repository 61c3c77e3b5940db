"""The question bank pages: the list with filters, sets, and each question's page (preview,
trying an answer, versions, editing, draft or published, duplicating)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp.auth.roles import role_required
from quizapp.core import qtypes
from quizapp.core.questions import Question
from quizapp.instructor.bank_forms import FilterForm, NewQuestionForm, NewSetForm
from quizapp.instructor.routes import bp
from quizapp.models import BankQuestion, QuestionSet, QuestionVersion, Role, Status
from quizapp.services import bank, datasets
from quizapp.services.attempts import ReviewItem

staff_only = role_required(Role.INSTRUCTOR, Role.ADMIN)
PAGE_SIZE = 25
VERSIONS = {"edited": True, "original": False}


def found_question(question_id: int) -> BankQuestion:
    """The bank question with this id, or 404."""
    found = bank.get(question_id)
    if found is None:
        abort(404)
    return found


def found_set(set_id: int) -> QuestionSet:
    """The question set with this id, or 404."""
    found = bank.get_set(set_id)
    if found is None:
        abort(404)
    return found


def confirmed() -> None:
    """A button's POST must carry a valid CSRF token."""
    if not FlaskForm().validate_on_submit():
        abort(400, description="That request was not understood: reload the page and try again.")


# --- the list ---------------------------------------------------------------------------


def _filters(form: FilterForm) -> bank.Filters:
    set_id = form.set.data or ""
    return bank.Filters(
        text=(form.q.data or "").strip()[:200],
        set_id=min(int(set_id), bank.MAX_ID) if set_id.isascii() and set_id.isdigit() else None,
        agreement=form.agreement.data or "",
        fact=(form.fact.data or "").strip()[:200],
        type=form.type.data or "",
        tag=form.tag.data or "",
        status=form.status.data or "",
        edited=VERSIONS.get(form.version.data or ""),
        needs_review=bool(form.review.data),
    )


def _list_page(set_form: NewSetForm, status: int = 200) -> tuple[str, int]:
    form = FilterForm(formdata=request.args)
    dataset = datasets.current()
    sets = bank.sets()
    form.fill(sets, list(dataset.agreements) if dataset else [], bank.tags_in_use())
    form.validate()
    page = bank.search(_filters(form), request.args.get("page", 1, type=int), PAGE_SIZE)
    query = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "instructor/bank.html",
        form=form,
        page=page,
        query=query,
        sets=sets,
        counts=bank.set_counts(),
        to_review=bank.search(bank.Filters(needs_review=True), size=1).total,
        set_form=set_form,
        labels=dict(qtypes.choices()),
        new_form=_new_question_form(sets),
    ), status


def _new_question_form(sets: list[QuestionSet]) -> NewQuestionForm:
    form = NewQuestionForm(formdata=None)
    form.set.choices = [(str(s.id), s.name) for s in sets]
    return form


@bp.get("/bank")
@staff_only
def bank_list():
    return _list_page(NewSetForm(formdata=None))


@bp.post("/bank/sets")
@staff_only
def bank_create_set():
    form = NewSetForm()
    if form.validate_on_submit():
        try:
            made = bank.new_set(form.name.data, form.description.data or "", current_user.id)
        except bank.BankError as error:
            form.name.errors = [str(error)]
        else:
            flash(f"Set {made.name} created: add questions to it.", "success")
            return redirect(url_for(".bank_list", set=made.id))
    return _list_page(form, 422)


# --- one question ---------------------------------------------------------------------


def _version_of(found: BankQuestion) -> QuestionVersion:
    number = request.args.get("version", found.latest, type=int)
    try:
        return bank.version(found, number)
    except bank.BankError:
        abort(404)


def _question_page(
    found: BankQuestion, version: QuestionVersion, tried: ReviewItem | None = None, raw: Any = None
):
    question = bank.question_of(version)
    qtype = qtypes.of(question)
    dataset = datasets.current()
    return render_template(
        "instructor/bank_question.html",
        item=found,
        version=version,
        question=question,
        qtype=qtype,
        shown=qtype.shown(question, raw),
        key=qtype.describe_key(question),
        tried=tried,
        history=bank.history(found),
        titles={a.key: a.title for a in dataset.agreements} if dataset else {},
        sources=dataset.sources if dataset else {},
        published=Status.PUBLISHED,
    )


@bp.get("/bank/<int:question_id>")
@staff_only
def bank_question(question_id: int):
    found = found_question(question_id)
    return _question_page(found, _version_of(found))


def tried_answer(question: Question, raw: Any) -> ReviewItem:
    """A test answer graded as an attempt would grade it."""
    qtype = qtypes.of(question)
    grade = qtype.grade(question, raw)
    return ReviewItem(
        slot=1,
        question=question,
        response=qtype.normalize(question, raw),
        fraction=grade.fraction,
        given=qtype.describe(question, raw),
        correct=qtype.describe_key(question),
        feedback=grade.feedback,
    )


@bp.post("/bank/<int:question_id>/try")
@staff_only
def bank_try(question_id: int):
    found = found_question(question_id)
    confirmed()
    version = _version_of(found)
    question = bank.question_of(version)
    raw = qtypes.of(question).read_form(question, request.form)
    return _question_page(found, version, tried_answer(question, raw), raw)


@bp.post("/bank/<int:question_id>/status")
@staff_only
def bank_status(question_id: int):
    found = found_question(question_id)
    confirmed()
    wanted = Status.DRAFT if found.status == Status.PUBLISHED else Status.PUBLISHED
    bank.set_status(found, wanted)
    flash(f"The question is now {wanted}.", "success")
    return redirect(url_for(".bank_question", question_id=found.id))


@bp.post("/bank/<int:question_id>/duplicate")
@staff_only
def bank_duplicate(question_id: int):
    found = found_question(question_id)
    confirmed()
    copy = bank.duplicate(found, current_user.id)
    flash("This is a draft copy with a history of its own: edit it here.", "success")
    return redirect(url_for(".bank_edit", question_id=copy.id))


@bp.post("/bank/<int:question_id>/reviewed")
@staff_only
def bank_reviewed(question_id: int):
    found = found_question(question_id)
    confirmed()
    bank.mark_reviewed(found)
    flash("Marked as reviewed: the question stays as it is.", "success")
    return redirect(url_for(".bank_question", question_id=found.id))


# --- writing and editing ------------------------------------------------------------------


def _edit_page(form: Any, qtype: Any, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template("instructor/bank_edit.html", form=form, qtype=qtype, **context), status


@bp.route("/bank/<int:question_id>/edit", methods=["GET", "POST"])
@staff_only
def bank_edit(question_id: int):
    found = found_question(question_id)
    base = bank.question_of(bank.latest(found))
    qtype = qtypes.of(base)
    form_class = qtype.edit_form_class()
    if request.method == "GET":
        form = form_class(formdata=None, data=qtype.form_data(base))
        return _edit_page(form, qtype, item=found)
    form = form_class()
    if not form.validate_on_submit():
        return _edit_page(form, qtype, 422, item=found)
    new = bank.edit(found, qtype.question_from_form(form, base), current_user.id, "edited")
    if new is None:
        flash("Nothing changed, so no new version was made.", "success")
    else:
        flash(f"Saved as version {new.number}; attempts keep the version they used.", "success")
    return redirect(url_for(".bank_question", question_id=found.id))


def _new_target() -> tuple[QuestionSet | None, Any]:
    """The set and question type a new question was asked for (None when unknown)."""
    set_id = request.args.get("set", type=int)
    question_set = bank.get_set(set_id) if set_id is not None else None
    try:
        qtype = qtypes.get(request.args.get("type", ""))
    except KeyError:
        qtype = None
    return question_set, qtype


@bp.route("/bank/new", methods=["GET", "POST"])
@staff_only
def bank_new():
    question_set, qtype = _new_target()
    if question_set is None or qtype is None:
        if request.method == "POST":
            abort(400, description="Choose a set and a question type, then write the question.")
        chooser = NewQuestionForm(formdata=request.args)
        chooser.set.choices = [(str(s.id), s.name) for s in bank.sets()]
        return render_template("instructor/bank_new.html", chooser=chooser)
    form = qtype.edit_form_class()()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return _edit_page(form, qtype, status, question_set=question_set)
    made = bank.create(question_set, qtype.question_from_form(form), current_user.id)
    flash("Saved as a draft: preview it, then publish it.", "success")
    return redirect(url_for(".bank_question", question_id=made.id))


from quizapp.instructor import bank_tools as _tools  # noqa: E402, F401  (registers its routes)
