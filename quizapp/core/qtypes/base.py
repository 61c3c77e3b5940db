"""The contract every question type fulfils, the Grade record, and forgiving readers.

A question type (after Moodle's ``question/type/*``) is one subclass of ``QuestionType``
registered once in ``quizapp.core.qtypes``. It owns everything about its kind of
question: reading a response from a submitted form and from JSON, normalizing, grading,
describing a response in words, its printed form, the template partial with the
trainee's controls, and the instructor's edit form. Nothing outside the type's module
asks which type a question is.

A browser can send anything (a string, a list, a mapping, nothing), so every reader
here returns None for what it cannot use instead of raising.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from random import Random
from string import ascii_uppercase
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from quizapp.core.present import join_names
from quizapp.core.qtypes.authoring import DIFFICULTIES, clean, tags
from quizapp.core.questions import QType, Question, short_hash

if TYPE_CHECKING:
    from quizapp.core.builders.context import Draft
    from quizapp.qtype_forms import EditForm

NO_ANSWER = "No answer was given."
FIELD = "response"  # the name of a type's main form field; parts are "response-<part>"


@dataclass(frozen=True)
class Grade:
    """A score as a fraction of the question's mark (0..1) and feedback for the trainee."""

    fraction: float
    feedback: str

    @property
    def correct(self) -> bool:
        return self.fraction >= 1.0


@dataclass(frozen=True)
class Problem:
    """Something wrong with a question as written: the edit-form field and what to fix."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class FormData(Protocol):
    """A submitted form as werkzeug's MultiDict offers it (no web import needed here)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


class QuestionType(ABC):
    """One kind of question. Subclasses set ``name`` and ``label`` and fill in every
    abstract method; the contract test (tests/core/test_qtype_contract.py) proves it."""

    name: ClassVar[QType]
    label: ClassVar[str]

    # --- what the trainee sees -----------------------------------------------------------

    @property
    def partial(self) -> str:
        """The template with the answer controls: ``templates/qtypes/<name>.html``.

        It is included with ``question`` and ``shown`` (from ``shown``) in its context."""
        return f"qtypes/{self.name}.html"

    @abstractmethod
    def hint(self, question: Question) -> str:
        """One line telling the trainee how to answer."""

    @abstractmethod
    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        """What the partial's controls show for a canonical response or raw input."""

    # --- reading and grading responses ------------------------------------------------

    @abstractmethod
    def read_form(self, question: Question, form: FormData) -> Any:
        """The raw response from the form fields this type's partial posts."""

    def read_json(self, question: Question, value: Any) -> Any:
        """The raw response from the ``response`` member of a JSON body (autosave)."""
        return value

    @abstractmethod
    def normalize(self, question: Question, raw: Any) -> Any:
        """The canonical response (JSON-safe), or None when ``raw`` is not an answer."""

    @abstractmethod
    def grade(self, question: Question, raw: Any) -> Grade:
        """Grade any raw response; never raises, 0 <= fraction <= 1."""

    @abstractmethod
    def describe(self, question: Question, raw: Any) -> str:
        """A response in words for review pages ("no answer" when there is none)."""

    def describe_key(self, question: Question) -> str:
        """The right answer in words, as reviews show it beside the trainee's."""
        return self.describe(question, question.answer)

    def to_json(self, question: Question, raw: Any) -> Any:
        """A response as stored in the step log and exports (the canonical form)."""
        return self.normalize(question, raw)

    def from_json(self, question: Question, data: Any) -> Any:
        """A stored response back from ``to_json`` output."""
        return self.normalize(question, data)

    # --- printed form (the `generate` command, text exports) ------------------------------

    def text_lines(self, question: Question) -> list[str]:
        """The lines under the prompt in a printed quiz: items, lettered options, a blank."""
        letters = letters_of(question)
        lines = [f"   {n}) {item.text}" for n, item in enumerate(question.items, 1)]
        return lines + [f"   {letters[o.id]}. {o.text}" for o in question.options]

    def to_text(self, question: Question, raw: Any) -> str:
        """A response in the letters and numbers of ``text_lines``."""
        return self.describe(question, raw)

    # --- generation -------------------------------------------------------------------

    @abstractmethod
    def key_from_draft(self, draft: Draft, ids: Mapping[str, str]) -> Any:
        """The canonical key from a generator's draft (option texts -> ids)."""

    def arrange(self, options: Sequence[str], draft: Draft, rng: Random) -> list[str]:
        """The order the options are shown in, drawn from ``rng``."""
        return rng.sample(list(options), len(options))

    # --- authoring --------------------------------------------------------------------

    @abstractmethod
    def example(self) -> Question:
        """A small valid question of this type (previews, tests, the new-question page)."""

    @abstractmethod
    def check(self, question: Question) -> list[Problem]:
        """What is wrong with a question as written (empty when it is fine)."""

    @abstractmethod
    def edit_fields(self) -> dict[str, Any]:
        """The type's own unbound WTForms fields for the edit form. WTForms is imported
        inside the method, never at module level: the core stays free of the web stack."""

    @abstractmethod
    def edit_data(self, question: Question) -> dict[str, Any]:
        """The type's own edit-form fields' data for ``question``."""

    @abstractmethod
    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        """The type's own Question fields (``answer``, ``options``...) from form data;
        never raises: what cannot be read is left for ``check`` to name."""

    def edit_form_class(self) -> type[EditForm]:
        """The Flask-WTF form an instructor writes and edits this type with."""
        from quizapp.qtype_forms import form_class

        return form_class(self)

    def form_data(self, question: Question) -> dict[str, Any]:
        """The edit form's data for ``question``: ``edit_form_class()(data=...)``."""
        return {
            "prompt": question.prompt,
            "explanation": question.explanation,
            "difficulty": question.difficulty,
            "tags": ", ".join(question.tags),
            **self.edit_data(question),
        }

    def question_from_form(self, form: Any, base: Question | None = None) -> Question:
        """The question an edit form (or its ``.data``) describes. Fields the form does not
        show (id, evidence, template) come from ``base``, the version being edited."""
        data = form.data if hasattr(form, "data") and not isinstance(form, Mapping) else form
        difficulty = clean(data.get("difficulty"))
        fields = {
            "prompt": clean(data.get("prompt")),
            "explanation": str(data.get("explanation") or "").strip(),
            "difficulty": difficulty if difficulty in DIFFICULTIES else "medium",
            "tags": tags(data.get("tags")),
            **self.read_edit_data(data, base),
        }
        if base is not None:
            return replace(base, type=str(self.name), **fields)
        shown = [o.text for o in (*fields.get("options", ()), *fields.get("items", ()))]
        qid = short_hash(self.name, fields["prompt"], *shown)
        return Question(id=qid, type=str(self.name), **fields)


# --- forgiving readers of raw input -------------------------------------------------------


def clamp(value: float) -> float:
    """``value`` limited to 0..1."""
    return min(1.0, max(0.0, float(value)))


def text(raw: Any) -> str | None:
    """A non-empty stripped string from a string or a one-element list, else None."""
    if isinstance(raw, (list, tuple)) and len(raw) == 1:
        raw = raw[0]
    if not isinstance(raw, str):
        return None
    stripped = " ".join(raw.split())
    return stripped or None


def strings(raw: Any) -> list[str] | None:
    """A list of stripped strings from a string or a list of strings, else None."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)) or not all(isinstance(x, str) for x in raw):
        return None
    return [x.strip() for x in raw]


def string_map(raw: Any) -> dict[str, str] | None:
    """A str -> str mapping from a mapping or a list of pairs, else None."""
    if isinstance(raw, (list, tuple)):
        if not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in raw):
            return None
        raw = dict((p[0], p[1]) for p in raw if isinstance(p[0], str))
    if not isinstance(raw, Mapping):
        return None
    return {
        k.strip(): v.strip() for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)
    }


def option_ids(question: Question) -> tuple[str, ...]:
    return tuple(option.id for option in question.options)


def label(question: Question, option_id: str) -> str:
    """An option's text for feedback, or a marker for an id the question does not have."""
    found = question.option_text(option_id)
    return found if found is not None else "(unknown option)"


def quoted(names: Sequence[str]) -> str:
    """Option texts in quotes, joined as a reader would: “A”, “A” and “B”, “A”, “B” and “C”."""
    return join_names([f"“{n}”" for n in names])


def right_ones(question: Question, ids: Sequence[str]) -> str:
    """``the right one is “A”`` or ``the right ones are “A” and “C”``."""
    names = quoted([label(question, i) for i in ids])
    return f"the right one is {names}" if len(ids) == 1 else f"the right ones are {names}"


def letters_of(question: Question) -> dict[str, str]:
    """Option id -> the letter a printed quiz shows it with (A, B, ...)."""
    return {o.id: ascii_uppercase[i % 26] for i, o in enumerate(question.options)}


def single_value(value: Any) -> str:
    """What a one-value control (radio, text box) shows for ``value``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else ""


def value_list(value: Any) -> list[str]:
    """What a many-value control (checkboxes, position selects) shows for ``value``."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, (list, tuple)) else []


# --- checks shared by several types -------------------------------------------------------


def prompt_problems(question: Question) -> list[Problem]:
    """The prompt must say something."""
    if not question.prompt.strip():
        return [Problem("prompt", "Write the question.")]
    return []


def option_problems(
    question: Question, minimum: int = 2, field: str = "options", what: str = "options"
) -> list[Problem]:
    """At least ``minimum`` options, each with text, no two alike."""
    problems = prompt_problems(question)
    texts = [o.text.strip() for o in question.options]
    if len(texts) < minimum:
        problems.append(Problem(field, f"Give at least {minimum} {what}."))
    if any(not t for t in texts):
        problems.append(Problem(field, f"Every one of the {what} needs a text."))
    if len({t.casefold() for t in texts if t}) < len([t for t in texts if t]):
        problems.append(Problem(field, f"Two of the {what} have the same text; make each differ."))
    if len(set(option_ids(question))) < len(texts):
        problems.append(Problem(field, f"Two of the {what} have the same id."))
    return problems
