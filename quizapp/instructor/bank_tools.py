"""Filling and emptying the bank in bulk: generating into a set (reviewed before anything is
added), uploading a question file, downloading a set. The upload runs the CLI's import."""

from __future__ import annotations

import re

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from quizapp.core import formats, qtypes
from quizapp.core.formats import ExportError
from quizapp.instructor.bank import found_set, staff_only
from quizapp.instructor.bank_forms import ANY, GenerateForm, UploadForm
from quizapp.instructor.routes import bp
from quizapp.models import QuestionSet
from quizapp.services import audit, bank, datasets
from quizapp.services.imports_questions import ImportFailed, export_set, import_file

UPLOAD_MOST = 2 * 1024 * 1024
_FILE_NAME = re.compile(r"[^A-Za-z0-9]+")


# --- generating into a set ----------------------------------------------------------------


def _generate_form(dataset) -> GenerateForm:
    form = GenerateForm()
    form.template.choices = [
        SelectChoice(t.id, f"{t.id}: asks the {t.kind} ({', '.join(t.types)})")
        for t in bank.generator_templates()
    ]
    form.agreement.choices = [ANY, *(SelectChoice(a.key, a.title) for a in dataset.agreements)]
    return form


def _generate_page(question_set: QuestionSet, **context) -> str:
    return render_template("instructor/bank_generate.html", question_set=question_set, **context)


@bp.route("/bank/sets/<int:set_id>/generate", methods=["GET", "POST"])
@staff_only
def bank_generate(set_id: int):
    question_set = found_set(set_id)
    dataset = datasets.current()
    if dataset is None:
        return _generate_page(question_set, form=None)
    form = _generate_form(dataset)
    if request.method == "GET":
        return _generate_page(question_set, form=form)
    if not form.validate_on_submit():
        return _generate_page(question_set, form=form), 422
    made = bank.generated(
        dataset, question_set, form.template.data, form.agreement.data, form.count.data
    )
    if "add" in request.form:
        return _add_generated(question_set, form, made)
    return _generate_page(
        question_set, form=form, made=made, have=bank.keys_in(question_set), qtypes=qtypes
    )


def _add_generated(question_set: QuestionSet, form: GenerateForm, made):
    chosen = set(request.form.getlist("chosen"))
    picked = [q for q in made if q.id in chosen]
    if not picked:
        error = "Tick at least one question to add, or leave this page to add none."
        page = _generate_page(
            question_set,
            form=form,
            made=made,
            have=bank.keys_in(question_set),
            qtypes=qtypes,
            error=error,
        )
        return page, 422
    added = bank.add_chosen(question_set, picked, current_user.id)
    skipped = len(picked) - len(added)
    note = f" ({skipped} already in the set, skipped)" if skipped else ""
    flash(f"Added {len(added)} question(s) to {question_set.name} as drafts{note}.", "success")
    return redirect(url_for(".bank_list", set=question_set.id))


# --- importing and exporting ------------------------------------------------------------


def _import_page(form: UploadForm, status: int = 200, **context):
    labels = dict(qtypes.choices())
    return render_template(
        "instructor/bank_import.html", form=form, labels=labels, **context
    ), status


@bp.route("/bank/import", methods=["GET", "POST"])
@staff_only
def bank_import():
    form = UploadForm()
    if request.method == "GET":
        form.set_name.data = request.args.get("set", "")[:100]
        return _import_page(form)
    if not form.validate_on_submit():
        return _import_page(form, 422)
    upload = form.file.data
    data = upload.read(UPLOAD_MOST + 1)
    if len(data) > UPLOAD_MOST:
        form.file.errors = ["The file is larger than 2 MB: split it into several files."]
        return _import_page(form, 413)
    name = upload.filename or "upload"
    dry_run = bool(form.check.data)
    try:
        report = import_file(
            data, name, form.set_name.data, form.format.data or None, dry_run, current_user.id
        )
    except ImportFailed as failed:
        return _import_page(form, 422, problems=failed.problems, file_name=name)
    except bank.BankError as error:
        form.set_name.errors = [str(error)]
        return _import_page(form, 422)
    found = None
    if not dry_run:
        found = bank.find_set(report.set_name)
        details = {"file": name, "created": report.created, "updated": report.updated}
        audit.record("questions.import", report.set_name, details, commit=True)
    return _import_page(form, report=report, file_name=name, imported_set=found)


@bp.get("/bank/sets/<int:set_id>/export")
@staff_only
def bank_export(set_id: int):
    question_set = found_set(set_id)
    name = request.args.get("format", "yaml")
    try:
        module = formats.get(name)
        text = export_set(question_set.name, name)
    except (ValueError, ExportError) as error:
        flash(f"Not exported: {error}", "error")
        return redirect(url_for(".bank_list", set=question_set.id))
    stem = _FILE_NAME.sub("-", question_set.name).strip("-").lower() or "questions"
    response = make_response(text)
    response.headers["Content-Type"] = f"{module.MIMETYPE}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}{module.EXTENSIONS[0]}"'
    return response
