"""Moodle XML: read and write the question types Moodle and this app share.

multichoice (single and multiple answers), truefalse, shortanswer, matching and ordering
(Moodle's ordering type, standard since Moodle 4.4) map both ways. Date questions have no
Moodle type and are refused on export. Numerical, essay, description, cloze and the other
Moodle types are reported by line on import. Files are parsed with defusedxml: entity
declarations and external references are refused.

Moodle XML keeps the id (as the name), text, key, general feedback and tags; the facts a
question names stay behind (export as YAML to keep them). Moodle grades ordering
questions by its own rules; the closest, "next item in the list (excluding last)", is
written. This app grades the share of neighbouring pairs in order.
"""

from __future__ import annotations

from dataclasses import replace

# Parsing goes through defusedxml; the standard library only builds the tree and writes.
from xml.etree.ElementTree import (  # noqa: S405
    Element,
    ParseError,
    SubElement,
    TreeBuilder,
    indent,
    tostring,
)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from quizapp.core.formats import base
from quizapp.core.formats.base import ExportError, ReadResult, Reporter
from quizapp.core.questions import Question

NAME = "xml"
LABEL = "Moodle XML"
EXTENSIONS = (".xml",)
MIMETYPE = "application/xml"

_UNSUPPORTED_FIX = (
    "remove it from the file, or rewrite it as one of: multichoice, truefalse, shortanswer, "
    "matching or ordering"
)
_YES = ("1", "true", "yes")


class _LineBuilder(TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber if self.parser else 1
        return element


def read(text: str, file: str = "<xml>") -> ReadResult:
    return read_bytes(text.encode("utf-8"), file)


def read_bytes(data: bytes, file: str = "<xml>") -> ReadResult:
    """Every question of a Moodle XML file, and every problem, with its line."""
    reporter = Reporter(file)
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as err:
        line, column = err.position
        reporter.error(line, column + 1, f"the XML is not well formed: {err.msg}", _XML_FIX)
        return reporter.finish()
    except DefusedXmlException as err:
        reporter.error(1, 1, f"the XML is refused: {err}", "remove the DOCTYPE and entities")
        return reporter.finish()
    except LookupError as err:  # <?xml ... encoding="U1TF-8"?>
        reporter.error(1, 1, f"the XML names an unknown encoding: {err}", 'write encoding="UTF-8"')
        return reporter.finish()
    if root.tag != "quiz":
        reporter.error(1, 1, f"the root element is <{root.tag}>", "a Moodle XML file has <quiz>")
        return reporter.finish()
    for element in root:
        if element.tag == "question":
            _Reader(element, builder.lines, reporter).read()
    return reporter.finish()


_XML_FIX = "close every tag and write & as &amp; and < as &lt; in text"


def _yes(element: Element | None, default: bool) -> bool:
    if element is None or element.text is None:
        return default
    return element.text.strip().lower() in _YES


class _Reader:
    """Reads one <question> element."""

    def __init__(self, element: Element, lines: dict[int, int], reporter: Reporter) -> None:
        self.el, self.lines, self.rep = element, lines, reporter
        self.line = lines.get(id(element), 1)

    def at(self, element: Element | None) -> int:
        return self.lines.get(id(element), self.line) if element is not None else self.line

    def error(self, element: Element | None, what: str, fix: str) -> None:
        self.rep.error(self.at(element), 1, what, fix)

    def warning(self, element: Element | None, what: str, fix: str) -> None:
        self.rep.warning(self.at(element), 1, what, fix)

    def text(self, element: Element | None) -> str:
        """The plain text of an element holding <text> (HTML turned into text)."""
        if element is None:
            return ""
        inner = element.find("text")
        raw = (inner.text if inner is not None else element.text) or ""
        if element.find("file") is not None:
            self.warning(element, "embedded files (images) are not imported", "add them by hand")
        html = element.get("format", "html") in ("html", "moodle_auto_format")
        text, lost = base.plain_text(raw, None if html else False)
        if lost:
            self.warning(element, *lost)
        return text

    def read(self) -> None:
        kind = self.el.get("type", "")
        if kind == "category":
            self.warning(
                self.el,
                "the category is ignored: imported questions go to the set named at import",
                "import each category's questions into a set of its own",
            )
            return
        reader = getattr(self, f"_{kind}", None)
        if reader is None:
            self.error(
                self.el,
                f"Moodle's {kind or 'untyped'} questions have no counterpart here",
                _UNSUPPORTED_FIX,
            )
            return
        self.title = self.text(self.el.find("name"))
        self.prompt = self.text(self.el.find("questiontext"))
        question = reader()
        if question is None:
            return
        explanation = self.text(self.el.find("generalfeedback"))
        tags = tuple(self.text(tag) for tag in self.el.findall("tags/tag"))
        self.rep.add(replace(question, explanation=explanation, tags=tags), self.line)

    def answers(self) -> list[tuple[Element, str, float]]:
        found = []
        for answer in self.el.findall("answer"):
            try:
                fraction = float(answer.get("fraction", "0"))
            except ValueError:
                self.error(answer, "the fraction is not a number", 'write fraction="100"')
                fraction = 0.0
            if self.text(answer.find("feedback")):
                self.warning(
                    answer,
                    "per-answer feedback is not kept",
                    "put what every trainee should read in the general feedback",
                )
            found.append((answer, self.text(answer), fraction))
        return found

    def qid(self, kind: str) -> str:
        return base.question_id(self.title, kind, self.prompt)

    def _multichoice(self) -> Question | None:
        answers = self.answers()
        single = _yes(self.el.find("single"), True)
        shuffle = _yes(self.el.find("shuffleanswers"), True)
        kind = "single_choice" if single else "multiple_choice"
        qid = self.qid(kind)
        opts = base.options(qid, [text for _, text, _ in answers])
        order = base.mixed(opts) if shuffle else opts
        if single:
            right = [n for n, (_, _, f) in enumerate(answers) if f >= 100]
            partial = [t for _, t, f in answers if 0 < f < 100 or f < 0]
            if len(right) != 1:
                self.error(
                    self.el, f"{len(right)} answers have fraction 100", "mark exactly one right"
                )
                return None
            if partial:
                self.warning(
                    self.el,
                    f"partial or negative fractions count as plain wrong: {'; '.join(partial)}",
                    "a single-choice question here has one right answer and no partial credit",
                )
            return Question(qid, kind, self.prompt, opts[right[0]].id, options=order)
        right = [n for n, (_, _, f) in enumerate(answers) if f > 0]
        if not right:
            self.error(self.el, "no answer has a positive fraction", "give right answers fractions")
            return None
        share = 100 / len(right)
        if any(abs(abs(f) - share) > 0.01 for _, _, f in answers):
            self.warning(
                self.el,
                f"the fractions are replaced by this app's rule: each of the {len(right)} right "
                f"answers earns 1/{len(right)}, each wrong pick costs 1/{len(right)}",
                "check the question still grades as you intend",
            )
        return Question(qid, kind, self.prompt, sorted(opts[n].id for n in right), options=order)

    def _truefalse(self) -> Question | None:
        right = [text.lower() for _, text, f in self.answers() if f >= 100]
        if right not in (["true"], ["false"]):
            self.error(self.el, "neither true nor false is marked right", "give one fraction 100")
            return None
        return Question(self.qid("true_false"), "true_false", self.prompt, right == ["true"])

    def _shortanswer(self) -> Question | None:
        answers = self.answers()
        full = list(dict.fromkeys(t for _, t, f in answers if f >= 100 and t))
        partial = [t for _, t, f in answers if t not in full]
        if partial:
            self.warning(
                self.el,
                f"answers with less than full credit are not accepted: {'; '.join(partial)}",
                "a short answer here is right or wrong",
            )
        if _yes(self.el.find("usecase"), False):
            self.warning(
                self.el.find("usecase"), "case is ignored when grading here", "none needed"
            )
        if not full:
            self.error(self.el, "no answer gets full credit", "give an answer fraction 100")
            return None
        forms = tuple(full)
        return Question(
            self.qid("short_answer"), "short_answer", self.prompt, forms[0], accepted=(forms,)
        )

    def _matching(self) -> Question | None:
        pairs, extra = [], []
        for sub in self.el.findall("subquestion"):
            left, right = self.text(sub), self.text(sub.find("answer"))
            (pairs.append((left, right)) if left else extra.append(right))
        lefts = [left for left, _ in pairs]
        if len(set(lefts)) != len(lefts):
            self.error(self.el, "an item appears twice", "match each item once")
            return None
        return base.matching(self.qid("matching"), self.prompt, pairs, extra)

    def _ordering(self) -> Question | None:
        qid = self.qid("ordering")
        order = base.options(qid, [text for _, text, _ in self.answers()])
        answer = [o.id for o in order]
        return Question(qid, "ordering", self.prompt, answer, options=base.mixed(order, answer))


# ---- writing ---------------------------------------------------------------------------

_MOODLE_TYPES = {
    "single_choice": "multichoice",
    "multiple_choice": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "matching": "matching",
    "ordering": "ordering",
}


def write(questions: list[Question]) -> str:
    """The questions as Moodle XML; ExportError naming every question Moodle cannot hold."""
    refused = [
        f"'{q.id}' ({q.type}): Moodle has no {q.type} question (export as yaml)"
        for q in questions
        if q.type not in _MOODLE_TYPES
    ]
    if refused:
        raise ExportError(LABEL, refused)
    root = Element("quiz")
    for question in questions:
        root.append(_question(question))
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _text(parent: Element, tag: str, text: str, **attrs: str) -> Element:
    element = SubElement(parent, tag, attrs)
    SubElement(element, "text").text = text
    return element


def _answer(parent: Element, text: str, fraction: float) -> None:
    _text(parent, "answer", text, fraction=base.weight_text(fraction), format="plain_text")


def _question(question: Question) -> Element:
    element = Element("question", type=_MOODLE_TYPES[question.type])
    _text(element, "name", question.id)
    _text(element, "questiontext", question.prompt, format="plain_text")
    _text(element, "generalfeedback", question.explanation, format="plain_text")
    SubElement(element, "defaultgrade").text = "1"
    SubElement(element, "hidden").text = "0"
    _BODY[question.type](element, question)
    if question.tags:
        tags = SubElement(element, "tags")
        for tag in question.tags:
            _text(tags, "tag", tag)
    return element


def _choices(element: Element, question: Question) -> None:
    single = question.type == "single_choice"
    SubElement(element, "single").text = "true" if single else "false"
    # The stored order is already mixed; keeping it makes a round trip exact.
    SubElement(element, "shuffleanswers").text = "false"
    SubElement(element, "answernumbering").text = "abc"
    right = {question.answer} if single else set(question.answer)
    share = 100 if single else 100 / len(right)
    for option in question.options:
        wrong = 0 if single else -share
        _answer(element, option.text, share if option.id in right else wrong)


def _true_false(element: Element, question: Question) -> None:
    _answer(element, "true", 100 if question.answer else 0)
    _answer(element, "false", 0 if question.answer else 100)


def _short_answer(element: Element, question: Question) -> None:
    SubElement(element, "usecase").text = "0"
    groups = question.accepted or ((question.answer,),)
    for form in dict.fromkeys(form for group in groups for form in group):
        _answer(element, form, 100)


def _matching(element: Element, question: Question) -> None:
    SubElement(element, "shuffleanswers").text = "true"
    paired = set(question.answer.values())
    rows = [(i.text, question.option_text(question.answer[i.id]) or "") for i in question.items]
    rows += [("", o.text) for o in question.options if o.id not in paired]
    for left, right in rows:
        sub = _text(element, "subquestion", left, format="plain_text")
        _text(sub, "answer", right)


def _ordering(element: Element, question: Question) -> None:
    for tag, value in (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        ("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST"),
    ):
        SubElement(element, tag).text = value
    for option_id in question.answer:
        _answer(element, question.option_text(option_id) or "", 100)


_BODY = {
    "single_choice": _choices,
    "multiple_choice": _choices,
    "true_false": _true_false,
    "short_answer": _short_answer,
    "matching": _matching,
    "ordering": _ordering,
}
