"""Each question type's edit form: rendered, posted back as a browser would, it gives the
same question; and every invalid field gets its own message."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask, render_template_string
from werkzeug.datastructures import MultiDict

from quizapp.core import qtypes
from quizapp.core.qtypes.base import QuestionType
from tests.conftest import make_test_app

ALL = qtypes.all()
PAGE = '{% from "qtypes/_edit.html" import edit_fields %}<form>{{ edit_fields(form) }}</form>'


class Posted(HTMLParser):
    """What a browser posts from a form: inputs, checked boxes, textareas, selects."""

    def __init__(self) -> None:
        super().__init__()
        self.data: MultiDict = MultiDict()
        self.ids: list[str] = []
        self.labelled: set[str] = set()
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "label":
            self.labelled.add(a.get("for") or "")
        if tag == "input":
            checkable = a.get("type") in ("radio", "checkbox")
            if not checkable or "checked" in a:
                self.data.add(a["name"], a.get("value") or ("y" if checkable else ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data.add(self._select, a["value"])
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea" and self._textarea:
            self.data.add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None


@pytest.fixture(scope="module")
def app() -> Flask:
    return make_test_app("sqlite://", WTF_CSRF_ENABLED=False)


def posted_back(app: Flask, qtype: QuestionType, data: dict) -> tuple[MultiDict, Posted]:
    with app.test_request_context():
        form = qtype.edit_form_class()(data=data, meta={"csrf": False})
        parsed = Posted()
        parsed.feed(render_template_string(PAGE, form=form))
    return parsed.data, parsed


def submit(app: Flask, qtype: QuestionType, formdata: MultiDict):
    with app.test_request_context(method="POST"):
        form = qtype.edit_form_class()(formdata=formdata, meta={"csrf": False})
        valid = form.validate()
    return form, valid


@pytest.mark.parametrize("qtype", ALL, ids=[t.name for t in ALL])
def test_edit_form_round_trips_the_example(app: Flask, qtype: QuestionType) -> None:
    example = qtype.example()
    formdata, page = posted_back(app, qtype, qtype.form_data(example))
    form, valid = submit(app, qtype, formdata)
    assert valid, form.errors
    assert qtype.question_from_form(form, base=example) == example
    fresh = qtype.question_from_form(form)  # a new question: same content, own id
    assert fresh.id != example.id and qtype.check(fresh) == []
    assert qtype.describe(fresh, fresh.answer) == qtype.describe(example, example.answer)
    assert len(page.ids) == len(set(page.ids))
    assert {i for i in page.ids if not i.endswith(("-hint", "-error"))} <= page.labelled | {
        i for i in page.ids if i.endswith("-id") or i in ("options", "items", "pairs", "answer")
    }


def edit(app: Flask, qtype: QuestionType, **changes: object) -> dict[str, list[str]]:
    data = qtype.form_data(qtype.example()) | changes
    formdata, _ = posted_back(app, qtype, data)
    form, valid = submit(app, qtype, formdata)
    assert not valid
    return {name: [e for e in errors if isinstance(e, str)] for name, errors in form.errors.items()}


def rows(texts: list[str], correct: set[str] = frozenset()) -> list[dict]:
    return [{"id": "", "text": t, "correct": t in correct} for t in texts]


@pytest.mark.parametrize(
    ("name", "changes", "field", "message"),
    [
        ("single_choice", {"options": rows(["Minsk"], {"Minsk"})}, "options", "at least 2"),
        ("single_choice", {"options": rows(["A", "B"], {"A", "B"})}, "options", "exactly one"),
        ("single_choice", {"options": rows(["A", "a"], {"A"})}, "options", "same text"),
        ("multiple_choice", {"options": rows(["A", "B"])}, "options", "at least one"),
        ("true_false", {"answer": None}, "answer", "true or false"),
        ("short_answer", {"accepted": " | "}, "accepted", "Give the answer"),
        ("date", {"precision": "week"}, "precision", "day, month or year"),
        ("date", {"answer": "1999"}, "answer", "month and year"),
        ("date", {"answer": "1999-02-30", "precision": "day"}, "answer", "real date"),
        ("date", {"tolerance": -1}, "tolerance", "from 0 to 100"),
        ("ordering", {"items": [{"id": "", "text": "A"}, {"id": "", "text": "B"}]}, "items", "3"),
        (
            "matching",
            {"pairs": [{"id": "", "item": "X", "match": "Y"}], "extras": ""},
            "pairs",
            "at least 2 pairs",
        ),
        (
            "matching",
            {
                "pairs": [
                    {"id": "", "item": "X", "match": "Y"},
                    {"id": "", "item": "Z", "match": ""},
                ]
            },
            "pairs",
            "Match every item",
        ),
        ("single_choice", {"prompt": "  "}, "prompt", "Write the question"),
    ],
)
def test_each_invalid_field_gets_its_own_message(
    app: Flask, name: str, changes: dict, field: str, message: str
) -> None:
    errors = edit(app, qtypes.get(name), **changes)
    assert any(message in e for e in errors.get(field, [])), errors
    assert set(errors) == {field}, errors


def test_a_fixed_typo_keeps_the_option_id(app: Flask) -> None:
    qtype = qtypes.get("single_choice")
    example = qtype.example()
    data = qtype.form_data(example)
    data["options"][1]["text"] = "Moscow city"
    formdata, _ = posted_back(app, qtype, data)
    form, valid = submit(app, qtype, formdata)
    edited = qtype.question_from_form(form, base=example)
    assert valid and edited.answer == "b" and edited.option_text("b") == "Moscow city"
