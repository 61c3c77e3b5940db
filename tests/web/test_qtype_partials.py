"""Each question type's partial and its form reader agree: what the controls post for a
response reads back as that response, and the controls show nothing of the key."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask, render_template
from werkzeug.datastructures import MultiDict

from quizapp.core import qtypes
from quizapp.core.qtypes.base import QuestionType
from quizapp.core.questions import Question
from tests.conftest import make_test_app

ALL = qtypes.all()


class Controls(HTMLParser):
    """What a browser would post from the rendered controls, and every label and id."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: MultiDict = MultiDict()
        self.ids: list[str] = []
        self.labelled: set[str] = set()
        self.names: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"] or "")
        if tag == "label" and a.get("for"):
            self.labelled.add(a["for"] or "")
        if tag == "input":
            self.names.add(a["name"] or "")
            checkable = a.get("type") in ("radio", "checkbox")
            if not checkable and a.get("value"):
                self.posted.add(a["name"], a["value"])
            if checkable and "checked" in a:
                self.posted.add(a["name"], a["value"])
        if tag == "select":
            self._select = a["name"]
            self.names.add(a["name"] or "")
        if tag == "option" and self._select and "selected" in a:
            self.posted.add(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


@pytest.fixture(scope="module")
def app() -> Flask:
    return make_test_app("sqlite://")


def render(app: Flask, qtype: QuestionType, question: Question, value: object) -> Controls:
    with app.test_request_context():
        html = render_template(qtype.partial, question=question, shown=qtype.shown(question, value))
    parsed = Controls()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("qtype", ALL, ids=[t.name for t in ALL])
def test_controls_post_back_the_response_they_show(app: Flask, qtype: QuestionType) -> None:
    question = qtype.example()
    controls = render(app, qtype, question, question.answer)
    assert qtype.normalize(question, qtype.read_form(question, controls.posted)) == question.answer
    assert len(controls.ids) == len(set(controls.ids)), "ids must be unique"
    assert {i for i in controls.ids if i.startswith("answer-")} <= controls.labelled


@pytest.mark.parametrize("qtype", ALL, ids=[t.name for t in ALL])
def test_blank_controls_give_no_answer(app: Flask, qtype: QuestionType) -> None:
    question = qtype.example()
    controls = render(app, qtype, question, None)
    assert qtype.normalize(question, qtype.read_form(question, controls.posted)) is None
    assert controls.names, "the partial has no controls"
