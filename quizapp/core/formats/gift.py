"""Moodle's GIFT text format: read and write.

Read: multiple choice with one right answer (``=``) or several weighted ones (``~%50%``),
true/false (``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}``), short answer, matching (``->``),
missing word (answers in the middle of the text), ``::title::``, ``$CATEGORY:``, ``//``
comments, per-answer ``#feedback`` and general feedback ``####``, ``[html]``,
``[markdown]``, ``[plain]`` and ``[moodle]`` text formats, escapes ``\\~ \\= \\# \\{ \\} \\:
\\n``, multi-line questions. Numerical, essay and description questions have no
counterpart here and are reported by line, as is every other part that cannot be kept.

Write: every type GIFT can express; date and ordering questions are refused. GIFT keeps
the id (as the title), text, key and general feedback; the dataset facts a question names,
its tags and its difficulty stay behind (export as YAML to keep them), and a short
answer's accepted names are written as one list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from quizapp.core.formats import base
from quizapp.core.formats.base import ExportError, ReadResult, Reporter
from quizapp.core.questions import Question

NAME = "gift"
LABEL = "Moodle GIFT"
EXTENSIONS = (".gift", ".txt")
MIMETYPE = "text/plain"

BLANK = "_____"  # what Moodle shows for the missing word
_PAD = "\ue0ff"  # keeps offsets: an escape (2 characters) becomes _PAD + placeholder
_CODES = {"\\": "\ue000", ":": "\ue001", "#": "\ue002", "=": "\ue003"}
_CODES |= {"{": "\ue004", "}": "\ue005", "~": "\ue006", "n": "\ue007"}
_PLAIN = {code: ("\n" if char == "n" else char) for char, code in _CODES.items()}
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"\s*\[(html|markdown|plain|moodle)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_UNSUPPORTED = (
    "has no counterpart in this app",
    "remove it from the file, or rewrite it as one of: single or multiple choice, "
    "true/false, short answer or matching",
)


@dataclass
class _Block:
    """One question's text (escapes replaced, comments blanked) and where it starts."""

    text: str
    line: int

    def where(self, offset: int) -> tuple[int, int]:
        """File line and column of an offset into the block."""
        before = self.text[:offset]
        return self.line + before.count("\n"), offset - (before.rfind("\n") + 1) + 1


@dataclass
class _Answer:
    text: str
    weight: float | None
    feedback: str
    offset: int


def read(text: str, file: str = "<gift>") -> ReadResult:
    """Every question of a GIFT document, and every problem, with its line."""
    reporter = Reporter(file)
    for block in _blocks(text):
        _Reader(block, reporter).read()
    return reporter.finish()


def _blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; ``//`` comment lines are blanked."""
    blocks: list[_Block] = []
    lines: list[str] = []
    start = 1
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append("" if line.strip().startswith("//") else line)
            continue
        if any(lines):
            escaped = _ESCAPE.sub(lambda m: _PAD + _CODES[m.group(1)], "\n".join(lines))
            blocks.append(_Block(escaped, start))
        lines = []
    return blocks


def _plain(text: str) -> str:
    """Escapes back to the characters they stand for."""
    return "".join(_PLAIN.get(char, char) for char in text if char != _PAD)


class _Reader:
    """Reads one block into a question, reporting what cannot be kept."""

    def __init__(self, block: _Block, reporter: Reporter) -> None:
        self.block = block
        self.rep = reporter
        self.text = block.text
        self.start = len(self.text) - len(self.text.lstrip())

    def error(self, offset: int, what: str, fix: str) -> None:
        self.rep.error(*self.block.where(offset), what, fix)

    def warning(self, offset: int, what: str, fix: str) -> None:
        self.rep.warning(*self.block.where(offset), what, fix)

    def read(self) -> None:
        text, pos = self.text, self.start
        if text.startswith("$CATEGORY:", pos):
            self.warning(
                pos,
                "the $CATEGORY line is ignored: imported questions go to the set named at import",
                "import each category's questions into a set of its own",
            )
            return
        title = ""
        if text.startswith("::", pos):
            end = text.find("::", pos + 2)
            if end < 0:
                self.error(
                    pos, "the title is not closed with '::'", "write ::title:: then the text"
                )
                return
            title, pos = base.tidy(_plain(text[pos + 2 : end])), end + 2
        opening, closing = text.find("{", pos), text.find("}", pos)
        if opening < 0 and closing < 0:
            self.error(
                pos, f"a description (text without {{…}}) {_UNSUPPORTED[0]}", _UNSUPPORTED[1]
            )
            return
        if closing < 0:
            self.error(opening, "'{' is never closed", "close the answers with '}' or write \\{")
            return
        if opening < 0 or closing < opening:
            self.error(closing, "'}' without an opening '{'", "add the '{' or write \\}")
            return
        if "{" in text[closing:]:
            self.error(
                text.find("{", closing),
                f"a second answer block (Moodle's embedded answers, cloze) {_UNSUPPORTED[0]}",
                "keep one {…} per question and a blank line between questions, "
                "or escape the brace as \\{",
            )
            return
        after = text[closing + 1 :]
        prompt = text[pos:opening] + (BLANK + after if after.strip() else "")
        self.body(title, prompt, opening)

    def body(self, title: str, prompt_text: str, opening: int) -> None:
        text = self.text
        closing = text.find("}", opening)
        body = text[opening + 1 : closing]
        offset = opening + 1
        explanation = ""
        if (general := body.rfind("####")) >= 0:
            explanation = self.content(body[general + 4 :], offset + general + 4)
            body = body[:general]
        prompt = self.content(prompt_text, self.start)
        stripped = body.strip()
        if not stripped:
            self.error(opening, f"an essay question ({{}}) {_UNSUPPORTED[0]}", _UNSUPPORTED[1])
            return
        if stripped.startswith("#"):
            self.error(opening, f"a numerical question ({{#…}}) {_UNSUPPORTED[0]}", _UNSUPPORTED[1])
            return
        head = stripped.split("#", 1)[0].strip()
        if "~" in body:
            question = self.choice(title, prompt, body, offset)
        elif "=" in body and "->" in body:
            question = self.matching(title, prompt, body, offset)
        elif head in _TRUE_FALSE:
            question = self.true_false(title, prompt, body, offset, _TRUE_FALSE[head])
        else:
            question = self.short_answer(title, prompt, body, offset)
        if question is None:
            return
        if explanation:
            question = replace(question, explanation=explanation)
        self.rep.add(question, *self.block.where(self.start))

    def content(self, raw: str, offset: int) -> str:
        """Plain text from a GIFT text, honouring a leading [format] marker."""
        match = _FORMAT.match(raw)
        kind = match.group(1) if match else "moodle"
        raw = raw[match.end() :] if match else raw
        html = {"html": True, "moodle": None}.get(kind, False)
        text, lost = base.plain_text(_plain(raw), html)
        if lost:
            self.warning(offset, *lost)
        return text

    def answers(self, body: str, offset: int, markers: str) -> list[tuple[str, _Answer]]:
        """The answers of a body, each with the marker that starts it."""
        found = [(m.start(), m.group()) for m in re.finditer(f"[{re.escape(markers)}]", body)]
        if not found or body[: found[0][0]].strip():
            self.error(offset, "text before the first answer", "start each answer with = or ~")
            return []
        result = []
        for n, (start, marker) in enumerate(found):
            end = found[n + 1][0] if n + 1 < len(found) else len(body)
            result.append((marker, self.answer(body[start + 1 : end], offset + start)))
        return result

    def answer(self, raw: str, offset: int) -> _Answer:
        weight = None
        if match := _WEIGHT.match(raw):
            weight = float(match.group(1))
            raw = raw[match.end() :]
            if not -100 <= weight <= 100:
                self.error(offset, f"the weight {match.group(1)}% is outside -100..100", "fix it")
        text, _, feedback = raw.partition("#")
        return _Answer(self.content(text, offset), weight, self.content(feedback, offset), offset)

    def feedback_lost(self, answers: list[_Answer], offset: int) -> None:
        with_feedback = [a.text for a in answers if a.feedback]
        if with_feedback:
            self.warning(
                offset,
                f"per-answer feedback is not kept (on: {'; '.join(with_feedback)})",
                "put what every trainee should read in the general feedback after ####",
            )

    def choice(self, title: str, prompt: str, body: str, offset: int) -> Question | None:
        answers = self.answers(body, offset, "=~")
        if not answers:
            return None
        self.feedback_lost([a for _, a in answers], offset)
        if any(marker == "=" for marker, _ in answers):
            return self.single(title, prompt, answers, offset)
        return self.multiple(title, prompt, [a for _, a in answers], offset)

    def single(self, title, prompt, answers: list[tuple[str, _Answer]], offset) -> Question | None:
        right = [a for marker, a in answers if marker == "="]
        if len(right) > 1:
            self.error(
                right[1].offset,
                "more than one answer is marked right with '='",
                "keep one '=', or weight each right answer (~%50%) for a multiple-answer question",
            )
            return None
        weighted = [a.text for m, a in answers if m == "~" and a.weight]
        if weighted:
            self.warning(
                offset,
                f"partial or negative weights count as plain wrong answers: {'; '.join(weighted)}",
                "a single-choice question here has one right answer and no partial credit",
            )
        qid = base.question_id(title, "single_choice", prompt)
        opts = base.options(qid, [a.text for _, a in answers])
        key = opts[[a for _, a in answers].index(right[0])].id
        return Question(qid, "single_choice", prompt, key, options=base.mixed(opts))

    def multiple(self, title, prompt, answers: list[_Answer], offset) -> Question | None:
        right = [a for a in answers if (a.weight or 0) > 0]
        if not right:
            self.error(offset, "no answer has a positive weight", "weight right answers ~%50%")
            return None
        qid = base.question_id(title, "multiple_choice", prompt)
        opts = base.options(qid, [a.text for a in answers])
        share = 100 / len(right)
        if any(abs(abs(a.weight or 0) - share) > 0.01 for a in answers):
            weights = ", ".join(base.weight_text(a.weight or 0) for a in answers)
            self.warning(
                offset,
                f"the weights ({weights}) are replaced by this app's rule: each of the "
                f"{len(right)} right answers earns 1/{len(right)}, each wrong pick costs "
                f"1/{len(right)}",
                "check the question still grades as you intend",
            )
        key = sorted(opts[answers.index(a)].id for a in right)
        return Question(qid, "multiple_choice", prompt, key, options=base.mixed(opts))

    def true_false(self, title, prompt, body, offset, truth: bool) -> Question:
        feedback = body.split("#")[1:]
        if any(part.strip() for part in feedback):
            self.warning(
                offset,
                "true/false feedback (#…#…) is not kept",
                "put what every trainee should read in the general feedback after ####",
            )
        qid = base.question_id(title, "true_false", prompt)
        return Question(qid, "true_false", prompt, truth)

    def short_answer(self, title, prompt, body, offset) -> Question | None:
        answers = [a for _, a in self.answers(body, offset, "=")]
        if not answers:
            return None
        self.feedback_lost(answers, offset)
        full = [a.text for a in answers if a.weight is None or a.weight == 100]
        partial = [a.text for a in answers if a.text not in full]
        if partial:
            self.warning(
                offset,
                f"answers with less than full credit are not accepted: {'; '.join(partial)}",
                "a short answer here is right or wrong; give accepted answers without weights",
            )
        if not full:
            self.error(offset, "no answer gets full credit", "write the accepted answers as =text")
            return None
        if any("*" in form for form in full):
            self.warning(offset, "'*' is not a wildcard here", "list each accepted answer")
        qid = base.question_id(title, "short_answer", prompt)
        forms = tuple(dict.fromkeys(full))
        return Question(qid, "short_answer", prompt, forms[0], accepted=(forms,))

    def matching(self, title, prompt, body, offset) -> Question | None:
        pairs: list[tuple[str, str]] = []
        extra: list[str] = []
        for _, answer in self.answers(body, offset, "="):
            left, arrow, right = answer.text.partition("->")
            if not arrow:
                self.error(answer.offset, "a pair without '->'", "write =item -> answer")
                return None
            if answer.weight is not None or answer.feedback:
                self.warning(answer.offset, "weights and feedback in pairs are ignored", "remove")
            left, right = left.strip(), right.strip()
            (pairs.append((left, right)) if left else extra.append(right))
        lefts = [left for left, _ in pairs]
        if len(set(lefts)) != len(lefts):
            self.error(offset, "an item appears twice", "match each item once")
            return None
        return base.matching(base.question_id(title, "matching", prompt), prompt, pairs, extra)


# ---- writing ---------------------------------------------------------------------------

_REFUSED = {
    "date": "GIFT has no date question (export as yaml)",
    "ordering": "GIFT has no ordering question (export as yaml or xml)",
}


def write(questions: list[Question]) -> str:
    """The questions as GIFT; ExportError naming every question GIFT cannot express."""
    reasons = [_refusal(q) for q in questions]
    reasons = [r for r in reasons if r]
    if reasons:
        raise ExportError(LABEL, reasons)
    return "".join(_question(q) for q in questions)


def _refusal(question: Question) -> str | None:
    why = _REFUSED.get(question.type)
    texts = (o.text for o in (*question.items, *question.options))
    if why is None and question.type == "matching" and any("->" in t for t in texts):
        why = "a matching text contains '->', which GIFT cannot escape"
    return f"'{question.id}' ({question.type}): {why}" if why else None


def _escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _question(question: Question) -> str:
    head = f"::{_escape(question.id)}::{_escape(question.prompt)}"
    lines = [f"\t{line}" for line in _answers(question)]
    if question.explanation:
        lines.append(f"\t####{_escape(question.explanation)}")
    if question.type == "true_false":
        return (
            head
            + "{"
            + ("TRUE" if question.answer else "FALSE")
            + "".join(line.strip() for line in lines)
            + "}\n\n"
        )
    return head + "{\n" + "\n".join(lines) + "\n}\n\n"


def _answers(question: Question) -> list[str]:
    match question.type:
        case "single_choice":
            return [
                ("=" if o.id == question.answer else "~") + _escape(o.text)
                for o in question.options
            ]
        case "multiple_choice":
            share = base.weight_text(100 / len(question.answer))
            return [
                f"~%{share if o.id in question.answer else '-' + share}%{_escape(o.text)}"
                for o in question.options
            ]
        case "short_answer":
            groups = question.accepted or ((question.answer,),)
            forms = dict.fromkeys(form for group in groups for form in group)
            return [f"={_escape(form)}" for form in forms]
        case "matching":
            paired = set(question.answer.values())
            name = question.option_text
            pairs = [
                f"={_escape(i.text)} -> {_escape(name(question.answer[i.id]) or '')}"
                for i in question.items
            ]
            return pairs + [
                f"= -> {_escape(o.text)}" for o in question.options if o.id not in paired
            ]
    return []
