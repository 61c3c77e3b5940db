"""Trainee pages. Views are thin: read the request, call a service, render or redirect."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from quizapp.auth.roles import role_required
from quizapp.core import attempt as engine
from quizapp.core import qtypes, scheduling
from quizapp.core.attempt import AttemptError
from quizapp.models import Attempt, Role, utcnow
from quizapp.services import (
    assignments,
    attempts,
    datasets,
    disputes,
    practice,
    quizzes,
    regrade,
)
from quizapp.trainee.forms import ChallengeForm, PracticeForm, StartDueForm

bp = Blueprint("trainee", __name__)
REFUSED_CHALLENGE = "refused_challenge"
# The review's ?only= filters: which questions each keeps (given the flagged slots).
REVIEW_FILTERS = {
    "wrong": lambda item, flagged: item.fraction < 1.0,
    "flagged": lambda item, flagged: item.slot in flagged,
}  # session key: a challenge refused, for the review
trainee_only = role_required(Role.TRAINEE)

# The HTTP status the page's script receives for each refusal (the body says why).
STATUS = {
    engine.StaleSequence: 409,
    engine.AttemptFinished: 409,
    engine.DeadlinePassed: 409,
    engine.SlotLocked: 409,
    engine.Incomplete: 422,
}


@bp.before_request
def _read_user_with_attempt() -> None:
    """On an attempt's pages, read the signed-in user and the attempt in one statement.

    Flask-Login's loader and ``_owned`` then take both from the session's identity map, so
    the loader still judges a row read in this request: a disabled account, a new role or
    ended sessions count from the next request on, as before.
    """
    attempt_id = (request.view_args or {}).get("attempt_id")
    signed_in = session.get("_user_id")  # Flask-Login's "id:generation"
    if attempt_id is None or not isinstance(signed_in, str):
        return
    user_id = signed_in.partition(":")[0]
    if user_id.isdigit():  # held for the request: the session keeps rows weakly
        g.user_and_attempt = attempts.load_with_owner(attempt_id, int(user_id))


def _owned(attempt_id: int) -> Attempt:
    """The signed-in trainee's attempt; 404 for anyone else's (never say it exists)."""
    found = attempts.get_owned(attempt_id, current_user.id)
    if found is None:
        abort(404)
    return found


def _slot_url(attempt: Attempt, slot: int) -> str:
    return url_for("trainee.question", attempt_id=attempt.id, slot=slot)


def _review_url(attempt: Attempt) -> str:
    return url_for("trainee.review", attempt_id=attempt.id)


def _ended(attempt: Attempt) -> Response | None:
    """Submit an overdue attempt; a redirect to its review if it is over (to the dashboard
    if it was abandoned), else None."""
    if attempts.expire_if_overdue(attempt):
        flash(engine.DeadlinePassed.message, "error")
    if attempt.state == engine.FINISHED:
        return redirect(_review_url(attempt))
    if attempt.state == engine.ABANDONED:
        flash(engine.AttemptAbandoned.message, "error")
        return redirect(url_for("trainee.dashboard") + "#abandoned-heading")
    return None


# --- dashboard and starting --------------------------------------------------------------


@bp.get("/dashboard")
@trainee_only
def dashboard():
    now = utcnow()
    dataset = datasets.current()
    active, set_aside = attempts.unfinished(current_user.id, now)
    past = attempts.finished(current_user.id, limit=10)
    hidden = {a.id for a in past if not quizzes.review_open(a, now)}
    due, mastery = practice.dashboard(current_user.id, dataset, now)
    return render_template(
        "trainee/dashboard.html",
        now=now,
        active=active,
        set_aside=set_aside,
        answered={
            a.id: len(engine.overview(len(a.questions), attempts.state_of(a)).answered)
            for a in (*active, *set_aside)
        },
        abandonable=engine.ABANDONABLE,
        past=past,
        hidden=hidden,
        # Scores whose review has not opened yet stay out of the trend too.
        trend=[float(a.fraction or 0.0) for a in reversed(past) if a.id not in hidden],
        due=due,
        mastery=mastery,
        mastery_meaning=scheduling.MEANING,
        horizon=scheduling.HORIZON_WORDS,
        seconds_left=engine.seconds_left,
        take=assignments.take_now(current_user.id, now),
        changes=regrade.score_changes([a.id for a in past if a.id not in hidden]),
        # A challenge needs a finished attempt: without one there is nothing to look up.
        challenges=regrade.answered_for(current_user.id) if past else [],
        status_text=regrade.STATUS_TEXT,
        start_form=FlaskForm(),
    )


def _practice_form() -> PracticeForm:
    form = PracticeForm()
    dataset = datasets.current()
    form.agreements.choices = (
        [SelectChoice(a.key, a.title) for a in dataset.agreements] if dataset else []
    )
    form.topics.choices = [SelectChoice(t, t) for t in practice.topics(dataset)]
    names = dataset.dataset_names() if dataset else ()
    form.dataset_titles = {name: dataset.dataset_title(name) for name in names}
    form.dataset.choices = [SelectChoice("", "Every dataset")] + [
        SelectChoice(name, title) for name, title in form.dataset_titles.items()
    ]
    form.agreement_datasets = (
        {a.key: dataset.sources[a.source].dataset for a in dataset.agreements} if dataset else {}
    )
    return form


@bp.route("/practice/new", methods=["GET", "POST"])
@trainee_only
def new_practice():
    form = _practice_form()
    problem = None
    if form.validate_on_submit():
        try:
            started = attempts.start_practice(
                current_user.id,
                attempts.PracticeOptions(
                    count=form.count.data,
                    agreements=tuple(form.agreements.data or ()),
                    topics=tuple(form.topics.data or ()),
                    difficulty=form.difficulty.data or None,
                    types=tuple(form.types.data or ()),
                    time_limit_minutes=form.time_limit.data,
                    feedback=form.feedback.data,
                    dataset=form.dataset.data or "",
                ),
            )
        except attempts.NoQuestions as error:
            problem = str(error)
        else:
            if len(started.questions) < form.count.data:
                flash(
                    f"Only {len(started.questions)} different questions could be made from "
                    "these choices, so the quiz is shorter than asked."
                )
            return redirect(url_for("trainee.attempt", attempt_id=started.id))
    status = 422 if form.errors or problem else 200
    return render_template("trainee/practice_new.html", form=form, problem=problem), status


@bp.get("/practice/due")
@trainee_only
def due():
    now = utcnow()
    return render_template(
        "trainee/due.html",
        due=practice.summary(current_user.id, datasets.current(), now, limit=50),
        session=practice.open_session(current_user.id),
        form=StartDueForm(),
    )


@bp.post("/practice/due")
@trainee_only
def start_due():
    form = StartDueForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        session = practice.start_due(current_user.id)
    except attempts.NoQuestions as error:
        flash(str(error), "error")
        return redirect(url_for("trainee.due"))
    return redirect(url_for("trainee.attempt", attempt_id=session.id))


# --- taking an attempt -------------------------------------------------------------------


@bp.get("/attempts/<int:attempt_id>")
@trainee_only
def attempt(attempt_id: int):
    found = _owned(attempt_id)
    if (ended := _ended(found)) is not None:
        return ended
    view = engine.overview(len(found.questions), attempts.state_of(found))
    return redirect(_slot_url(found, (view.unanswered or [1])[0]))


def _question_page(
    found: Attempt, slot: int, raw: Any = None, error: str | None = None, status: int = 200
):
    question = attempts.question_at(found, slot)
    state = attempts.state_of(found)
    shown = raw if raw is not None else state.response(slot)
    checked = attempts.checked_item(found, slot, state)
    return render_template(
        "trainee/question.html",
        attempt=found,
        slot=slot,
        count=len(found.questions),
        question=question,
        qtype=qtypes.of(question),
        state=state,
        overview=engine.overview(len(found.questions), state),
        shown=qtypes.of(question).shown(question, shown),
        error=error,
        immediate=attempts.behaviour(found) == engine.IMMEDIATE,
        checked=checked,
        show=attempts.review_options(found),
        seconds_left=engine.seconds_left(found.deadline, utcnow()),
        grace_seconds=int(attempts.grace(found).total_seconds()),
        **(_evidence() if checked else {}),
    ), status


def _evidence() -> dict[str, Any]:
    """Agreement titles and sources, to show the sentence an answer rests on."""
    dataset = datasets.current()
    return {
        "titles": {a.key: a.title for a in dataset.agreements} if dataset else {},
        "sources": dataset.sources if dataset else {},
    }


@bp.route("/attempts/<int:attempt_id>/q/<int:slot>", methods=["GET", "POST"])
@trainee_only
def question(attempt_id: int, slot: int):
    found = _owned(attempt_id)
    if (ended := _ended(found)) is not None:
        return ended
    if not 1 <= slot <= len(found.questions):
        abort(404)
    if request.method == "GET":
        return _question_page(found, slot)
    return _act(found, slot)


def _act(found: Attempt, slot: int):
    """The question form without JavaScript: save the answer, then check, flag or move."""
    question = attempts.question_at(found, slot)
    go = request.form.get("go", "next")
    seq = engine.parse_sequence(request.form.get("seq"))
    raw = qtypes.of(question).read_form(question, request.form)
    try:
        if go == "check":
            attempts.check(found, slot, raw, seq)
            if found.state == engine.FINISHED:
                flash("That was the last question: here is how the session went.", "success")
                return redirect(_review_url(found) + f"#q-{slot}")
            return redirect(_slot_url(found, slot) + "#feedback")
        if slot not in attempts.state_of(found).checked:
            seq = attempts.save_answer(found, slot, raw, seq).sequence
        if go in ("flag", "unflag"):
            attempts.set_flag(found, slot, go == "flag", seq)
            return redirect(_slot_url(found, slot))
    except engine.Incomplete as error:
        return _question_page(found, slot, raw=raw, error=error.message, status=422)
    except engine.StaleSequence as error:
        return _stale(found, slot, error.message)
    except (engine.AttemptFinished, engine.DeadlinePassed) as error:
        flash(error.message, "error")
        return redirect(_review_url(found))
    except AttemptError as error:  # e.g. checked twice: say so on the question's own page
        flash(error.message, "error")
        return redirect(_slot_url(found, slot))
    return redirect(_target(found, slot, go))


def _target(found: Attempt, slot: int, go: str) -> str:
    """Where a navigation button leads: previous, next, a numbered question, or submit."""
    count = len(found.questions)
    if go == "prev":
        return _slot_url(found, max(1, slot - 1))
    number = engine.parse_sequence(go)
    if number is not None and 1 <= number <= count:
        return _slot_url(found, number)
    if go == "submit" or (go == "next" and slot >= count):
        return url_for("trainee.submit", attempt_id=found.id)
    return _slot_url(found, min(count, slot + 1))


def _stale(found: Attempt, slot: int, message: str):
    page = render_template("trainee/stale.html", attempt=found, slot=slot, message=message)
    return page, 409


@bp.post("/attempts/<int:attempt_id>/answer")
@trainee_only
def answer(attempt_id: int):
    """Autosave from the page's script: form fields or JSON; the reply never grades."""
    found = _owned(attempt_id)
    data = request.get_json(silent=True) if request.is_json else None
    fields = data if isinstance(data, dict) else request.form
    slot = engine.parse_sequence(fields.get("slot"))
    if slot is None or not 1 <= slot <= len(found.questions):
        abort(404)
    question = attempts.question_at(found, slot)
    qtype = qtypes.of(question)
    if data is not None:
        raw = qtype.read_json(question, data.get("response"))
    else:
        raw = qtype.read_form(question, request.form)
    try:
        saved = attempts.save_answer(found, slot, raw, engine.parse_sequence(fields.get("seq")))
    except AttemptError as error:
        return _json_refusal(found, error)
    return jsonify(
        saved=True,
        changed=saved.changed,
        sequence=saved.sequence,
        slot=slot,
        answered=saved.answered,
        message="Saved",
    )


def _json_refusal(found: Attempt, error: AttemptError):
    body: dict[str, Any] = {"saved": False, "error": type(error).__name__, "message": error.message}
    if isinstance(error, (engine.AttemptFinished, engine.DeadlinePassed)):
        body["redirect"] = _review_url(found)
    return jsonify(body), STATUS.get(type(error), 409)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@trainee_only
def submit(attempt_id: int):
    found = _owned(attempt_id)
    if request.method == "POST" and found.state != engine.ABANDONED:
        was_open = found.state == engine.IN_PROGRESS
        try:
            attempts.submit(found, engine.parse_sequence(request.form.get("seq")))
        except engine.StaleSequence as error:
            return _stale(found, 0, error.message)
        flash("Your attempt was submitted." if was_open else "This attempt was already submitted.")
        return redirect(_review_url(found))
    if (ended := _ended(found)) is not None:
        return ended
    state = attempts.state_of(found)
    return render_template(
        "trainee/submit.html",
        attempt=found,
        state=state,
        overview=engine.overview(len(found.questions), state),
        seconds_left=engine.seconds_left(found.deadline, utcnow()),
        grace_seconds=int(attempts.grace(found).total_seconds()),
    )


# --- abandoning and resuming -------------------------------------------------------------


@bp.route("/attempts/<int:attempt_id>/abandon", methods=["GET", "POST"])
@trainee_only
def abandon(attempt_id: int):
    """Ask, then set an open practice attempt aside, ungraded, with every answer kept."""
    found = _owned(attempt_id)
    if (ended := _ended(found)) is not None:
        return ended
    if found.kind not in engine.ABANDONABLE:
        flash("An assigned quiz cannot be abandoned: submit it when you are done.", "error")
        return redirect(url_for("trainee.dashboard"))
    form = FlaskForm()
    if not form.validate_on_submit():
        answered = engine.overview(len(found.questions), attempts.state_of(found)).answered
        return render_template(
            "trainee/abandon.html", attempt=found, answered=len(answered), form=form
        )
    if not attempts.abandon(found):  # its time ran out first: it was submitted instead
        flash(engine.DeadlinePassed.message, "error")
        return redirect(_review_url(found))
    flash(f"“{found.title}” was abandoned; its answers are kept if you resume it.", "success")
    return redirect(url_for("trainee.dashboard") + "#abandoned-heading")


@bp.post("/attempts/<int:attempt_id>/resume")
@trainee_only
def resume(attempt_id: int):
    """Reopen an abandoned attempt where it was left."""
    found = _owned(attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if attempts.resume(found) and found.state == engine.FINISHED:
        flash(engine.DeadlinePassed.message, "error")  # its time limit ran out meanwhile
    return redirect(url_for("trainee.attempt", attempt_id=found.id))


# --- review and challenges ---------------------------------------------------------------


def _review_page(found: Attempt):
    items = attempts.review_items(found)
    show = attempts.review_options(found)
    flagged = attempts.state_of(found).flagged
    only = request.args.get("only")
    if only not in REVIEW_FILTERS or (only == "wrong" and not show.get("correctness")):
        only = None  # "right or wrong" hidden by the quiz: no filter may give it away
    return render_template(
        "trainee/review.html",
        attempt=found,
        items=[i for i in items if REVIEW_FILTERS[only](i, flagged)] if only else items,
        all_items=items,
        only=only,
        flagged=flagged,
        right=sum(1 for i in items if i.fraction >= 1.0),
        show=show,
        disputes=disputes.for_attempt(found.id, current_user.id),
        status_text=regrade.STATUS_TEXT,
        regrades=regrade.of_attempt(found.id),
        score_change=regrade.score_changes([found.id]).get(found.id),
        forms_by_slot=_refused_challenge(found),
        new_form=ChallengeForm,
        **_evidence(),
    )


def _refused_challenge(found: Attempt) -> dict[int, ChallengeForm]:
    """The challenge form refused on the last POST, with its error beside the field."""
    refused = session.pop(REFUSED_CHALLENGE, None)
    if not isinstance(refused, dict) or refused.get("attempt") != found.id:
        return {}
    slot = int(refused.get("slot", 0))
    form = ChallengeForm(formdata=None, prefix=f"c{slot}")
    form.comment.errors = [str(refused.get("error", ""))]
    return {slot: form}


@bp.get("/attempts/<int:attempt_id>/review")
@role_required(Role.TRAINEE, Role.INSTRUCTOR, Role.ADMIN)
def review(attempt_id: int):
    if current_user.role != Role.TRAINEE:  # staff read it, with its step log, on their page
        return redirect(url_for("instructor.attempt_review", attempt_id=attempt_id))
    found = _owned(attempt_id)
    attempts.expire_if_overdue(found)
    if found.state != engine.FINISHED:
        flash("The review opens once you submit the attempt.", "error")
        return redirect(url_for("trainee.submit", attempt_id=found.id))
    if not quizzes.review_open(found):
        page = render_template(
            "trainee/review_closed.html", attempt=found, opens=quizzes.review_opens(found)
        )
        return page, 403
    return _review_page(found)


@bp.post("/attempts/<int:attempt_id>/review/<int:slot>/challenge")
@trainee_only
def challenge(attempt_id: int, slot: int):
    found = _owned(attempt_id)
    if found.state != engine.FINISHED:
        abort(409, description="You can challenge an answer once the attempt is submitted.")
    if not quizzes.review_open(found):
        abort(403)  # the review, and so what a challenge shows, is not open yet
    form = ChallengeForm(prefix=f"c{slot}")
    try:
        if not form.validate_on_submit():
            raise disputes.DisputeError(" ".join(form.comment.errors) or "Send the form again.")
        disputes.challenge(found, slot, current_user.id, form.comment.data)
    except disputes.DisputeError as error:
        # Back to the review (never a page left on the POST address), the error kept for it.
        session[REFUSED_CHALLENGE] = {"attempt": found.id, "slot": slot, "error": str(error)}
        flash(f"Your challenge of question {slot} was not sent: {error}", "error")
        return redirect(_review_url(found) + f"#q-{slot}")
    flash(f"Your challenge of question {slot} was sent to the instructors.", "success")
    return redirect(_review_url(found) + f"#q-{slot}")


from quizapp.trainee import quizzes as _quiz_pages  # noqa: E402, F401  (registers its routes on bp)
