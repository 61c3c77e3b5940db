"""From a builder's draft to a Question: ids, seeded option order, key, quoted evidence."""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING

from quizapp.core import difficulty, qtypes
from quizapp.core.builders.context import Context, Draft
from quizapp.core.questions import Option, Question, short_hash
from quizapp.core.wording import fold

if TYPE_CHECKING:
    from quizapp.core.templates import Template


def finish(ctx: Context, template: Template, draft: Draft, rng: Random) -> Question | None:
    """Give the draft its ids, a seeded option order, its key and its quoted evidence."""
    evidence = draft.evidence or draft.facts
    sources = {ref.fact.source for ref in evidence}
    if len(sources) != 1 or len({fold(t) for t in draft.options}) != len(draft.options):
        return None
    source = ctx.dataset.sources[sources.pop()]
    fact_ids = tuple(dict.fromkeys(ref.id for ref in draft.facts))
    qid = question_id(ctx, template, draft)
    ids = {text: short_hash(qid, text, length=8) for text in draft.options}
    ids |= {text: short_hash(qid, "item", text, length=8) for text in draft.items}
    quotes = tuple(dict.fromkeys(q for ref in evidence for q in ref.fact.quotes))
    return Question(
        id=qid,
        type=draft.type,
        prompt=draft.prompt,
        answer=qtypes.get(draft.type).key_from_draft(draft, ids),
        options=_shuffled(draft, ids, rng),
        items=tuple(Option(ids[t], t) for t in rng.sample(draft.items, len(draft.items))),
        accepted=draft.accepted,
        explanation=f"{draft.explain} From “{source.title}”: " + " ".join(f'"{q}"' for q in quotes),
        quotes=quotes,
        source=source.key,
        agreements=tuple(dict.fromkeys(a.key for a in draft.agreements)),
        fact=template.kind,
        fact_ids=fact_ids,
        reveals=tuple(ref.id for ref in draft.reveals),
        template=template.id,
        params=dict(draft.params),
        difficulty=difficulty.rate(draft, ctx.difficulty),
        tags=template.tags,
        settings=dict(draft.settings),
    )


def question_id(ctx: Context, template: Template, draft: Draft) -> str:
    """A stable id from what the question shows and rests on: template, type, the
    agreements involved, prompt, option and item texts, and the dataset version.

    Nothing answer-only goes in (not the key, not the facts of just the right options), so
    the id, which trainees see, cannot be used to recover the answer. The same question
    gets the same id on every run and in any option order."""
    involved = sorted({a.key for a in draft.agreements})
    shown = [*sorted(draft.options), *sorted(draft.items)]
    return short_hash(template.id, draft.type, ctx.version, *involved, draft.prompt, *shown)


def _shuffled(draft: Draft, ids: dict[str, str], rng: Random) -> tuple[Option, ...]:
    """The options in the seeded order the draft's type arranges them in."""
    order = qtypes.get(draft.type).arrange(draft.options, draft, rng)
    return tuple(Option(ids[text], text) for text in order)
