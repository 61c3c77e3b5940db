"""Whatever anyone posts to any form or JSON endpoint, and whatever file is imported, the
answer is never a server error nor a traceback, and every refusal (4xx) says what was wrong.

The routes come from app.url_map (every POST rule), so a new form is fuzzed without being
listed here. Each is posted by a client signed in with the role its blueprint needs and a
valid CSRF token, so the input reaches the handler. The fields come from the app's own pages:
every GET page is crawled as each role and its forms read (names, and the values the page
offers, which are mixed with hostile ones). On SQLite and PostgreSQL; the test app propagates
exceptions, so a 500 fails with its traceback. The number of inputs tried is printed.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import BadRequest, UnprocessableEntity
from werkzeug.routing import Rule

from quizapp.config import DEFAULT_DATA
from quizapp.core import formats, qtypes
from quizapp.core.loader import check, load_dataset
from quizapp.core.questions import Option, Question
from quizapp.core.quizzes import FixedSlot
from quizapp.extensions import db
from quizapp.limits import IdConverter
from quizapp.models import Attempt, Role, Status
from quizapp.services import (
    accounts,
    assignments,
    attempts,
    bank,
    cohorts,
    datasets,
    disputes,
    imports_questions,
    quizzes,
    resets,
    tokens,
)
from tests.conftest import _empty_postgres, make_test_app
from tests.core.formats_helpers import DATA as FORMAT_SAMPLES
from tests.web.conftest import PASSWORD, csrf_token, login
from tests.web.factories import finished_attempt
from tests.web.test_roles import PUBLIC, ROLE_OF_BLUEPRINT

# One worker builds each populated app and fuzzes it, destructive routes last.
pytestmark = pytest.mark.xdist_group("fuzz")
EXAMPLES_PER_ROUTE = 8
EXAMPLES_PER_IMPORTER = 25
FUZZ = settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Routes whose success removes what later routes post to: fuzzed last.
DESTRUCTIVE = re.compile(r"delete|remove|unassign|logout|submit|self-signup|active|role$")
GENERIC = {BadRequest.description, UnprocessableEntity.description}
TRIED: Counter[str] = Counter()


# --- values ------------------------------------------------------------------------------

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "2147483648",
        "9223372036854775808",
        "9" * 5000,
        "1e309",
        "nan",
        "-inf",
        "2026-02-30",
        "99999-01-01",
        "0000-00-00T25:61",
        "a\x00b",
        "\x1b[31m",
        "\u202e\ufeff",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "x" * 1200,
        "on",
        "null",
        "{}",
    ]
)
TEXT = st.text(max_size=40)
NUMBER = st.integers(-(2**70), 2**70).map(str)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


def value_for(offered: list[str]) -> st.SearchStrategy[str]:
    """A value for a field: one the page offers, or something no page would send."""
    hostile = st.one_of(HOSTILE, TEXT, NUMBER)
    return st.one_of(st.sampled_from(offered), hostile) if offered else hostile


# --- the app's forms, read from its pages ---------------------------------------------------


@dataclass
class Form:
    """One form on a page: where it posts, and its fields with the values the page offers."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    files: set[str] = field(default_factory=set)


class _FormReader(HTMLParser):
    """Every <form method="post"> of a page, with its inputs, selects and textareas."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url, self.forms, self._form, self._select = page_url, [], None, None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "form" and (found.get("method") or "get").lower() == "post":
            target = urlsplit(found.get("action") or self.page_url)
            self._form = Form(target.path + (f"?{target.query}" if target.query else ""))
            self.forms.append(self._form)
        elif self._form is None or tag not in ("input", "select", "textarea", "option", "button"):
            return
        elif tag == "option" and self._select:
            self._form.fields[self._select].append(found.get("value") or "")
        elif name := found.get("name"):
            self._select = name if tag == "select" else self._select
            if found.get("type") == "file":
                self._form.files.add(name)
            else:
                self._form.fields[name] += [found["value"]] if found.get("value") else []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class World:
    """A populated app, a signed-in client per role, and every form its pages show."""

    app: Flask
    backend: str
    ids: dict[str, list[object]]
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]
    forms: dict[str, list[Form]]
    leaver: str = "leaver@fuzz.example"


def _populate(app: Flask) -> dict[str, list[object]]:
    """Users of each role, a cohort, a published and assigned quiz, attempts, links."""
    with app.app_context():
        datasets.load(load_dataset(DEFAULT_DATA))
        made = {
            name: accounts.create_user(f"{name}@fuzz.example", PASSWORD, role, name.title())
            for name, role in [
                ("admin", Role.ADMIN),
                ("instructor", Role.INSTRUCTOR),
                ("trainee", Role.TRAINEE),
                ("victim", Role.TRAINEE),
                ("leaver", Role.TRAINEE),
            ]
        }
        question_set = bank.create_set("Fuzz set")
        added = [bank.add(question_set, _choice(n), status=Status.PUBLISHED) for n in range(3)]
        quiz = quizzes.create("Fuzz quiz")
        for question in added[:2]:
            quizzes.add_slot(quiz, FixedSlot(question.id))
        quizzes.publish(quiz)
        cohort = cohorts.create("Fuzz cohort", created_by=made["instructor"])
        for name in ("trainee", "victim"):
            cohorts.add_member(cohort, made[name])
        assignment = assignments.assign(quiz, cohort, None, made["instructor"])
        practice = attempts.start_practice(made["trainee"].id, attempts.PracticeOptions(), seed=7)
        finished = finished_attempt(made["trainee"].id, [True, False, None])
        graded = db.session.get(Attempt, finished)
        challenged = [disputes.challenge(graded, n, made["trainee"].id, "Fuzz") for n in (1, 2)]
        token = tokens.issue("instructor@fuzz.example", "Fuzz sync", made["admin"]).token
        accounts.set_self_signup(True)
        invitation = accounts.make_invitation(made["admin"], Role.TRAINEE).token
        reset = resets.create(made["victim"], made["admin"]).token
        ids = {
            "attempt_id": [practice.id, finished],
            "slot": list(range(1, len(practice.questions) + 1)),
            "quiz_id": [quiz.id],
            "cohort_id": [cohort.id],
            "user_id": [made["victim"].id],
            "assignment_id": [assignment.id],
            "index": [1, 2],
            "direction": ["up", "down"],
            "token": [invitation, reset],
            "key": [datasets.current().agreements[0].key],
            "set_id": [question_set.id],
            "question_id": [question.id for question in added],
            "dispute_id": [dispute.id for dispute in challenged],
            "token_id": [token.id],
        }
        db.session.commit()
        return ids


def _choice(number: int) -> Question:
    options = (Option("a", "Right"), Option("b", "Wrong"), Option("c", "Also wrong"))
    return Question("", "single_choice", f"Fuzz question {number}?", "a", options=options)


def _urls(app: Flask, rule: Rule, ids: dict[str, list[object]]) -> Iterator[str]:
    """Every address of a rule with the world's ids in its parameters."""
    adapter = app.url_map.bind("localhost")
    names = sorted(rule.arguments)
    stand_in = {
        name: [1] if isinstance(rule._converters[name], IdConverter) else ["x"] for name in names
    }
    for values in itertools.product(*(ids.get(name, stand_in[name]) for name in names)):
        yield adapter.build(rule.endpoint, dict(zip(names, values, strict=True)))


def _role_of(rule: Rule) -> str | None:
    blueprint = rule.endpoint.split(".")[0]
    return None if blueprint in PUBLIC else ROLE_OF_BLUEPRINT[blueprint].value


def _with_queries(world: World, rule: Rule) -> Iterator[str]:
    """A rule's addresses, and those its forms are reached by (a search, a new question)."""
    for url in _urls(world.app, rule, world.ids):
        yield url
        if rule.endpoint == "instructor.quiz":
            yield f"{url}?q=fuzz"
        if rule.endpoint == "admin.override_grade":  # a trainee of the cohort, on the quiz
            cohort, quiz, user = (world.ids[k][0] for k in ("cohort_id", "quiz_id", "user_id"))
            yield f"{url}?cohort={cohort}&quiz={quiz}&user={user}"
        if rule.endpoint == "instructor.bank_new":
            for qtype in qtypes.all():
                yield f"{url}?set={world.ids['set_id'][0]}&type={qtype.name}"


def _crawl(world: World) -> None:
    """Read the forms of every GET page each role can open, keyed by the endpoint they post to."""
    adapter = world.app.url_map.bind("localhost")
    for rule in world.app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        client = world.clients[_role_of(rule) or "anonymous"]
        for url in _with_queries(world, rule):
            page = client.get(url)
            body = page.get_data(as_text=True)  # a streamed download too, so it ends
            page.close()
            if page.status_code != 200 or "html" not in page.content_type:
                continue
            reader = _FormReader(url)
            reader.feed(body)
            for form in reader.forms:
                try:
                    endpoint, _ = adapter.match(urlsplit(form.action).path, method="POST")
                except Exception:  # noqa: BLE001 (a form posting elsewhere: not ours to fuzz)
                    continue
                world.forms[endpoint].append(form)


def _signed_in(app: Flask, email: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client, csrf_token(client, "/")


def _make_world(app: Flask, backend: str) -> World:
    ids = _populate(app)
    world = World(app, backend, ids, {}, {}, defaultdict(list))
    for role in ("admin", "instructor", "trainee"):
        world.clients[role], world.tokens[role] = _signed_in(app, f"{role}@fuzz.example")
    world.clients["anonymous"] = app.test_client()
    _crawl(world)
    return world


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory) -> Iterator[World]:
    """One populated app per database for the whole module (fuzzing reuses it)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "quizapp.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _empty_postgres(url)
    app = make_test_app(url, RATELIMIT_ENABLED=False)
    yield _make_world(app, request.param)
    with app.app_context():
        db.engine.dispose()
    if request.param == "postgresql":
        _empty_postgres(url)
    _report(request, request.param)


def _report(request, backend: str) -> None:
    tried = {k.split(" ", 1)[1]: n for k, n in TRIED.items() if k.startswith(backend)}
    failed = request.session.testsfailed
    line = (
        f"\nfuzz on {backend}: {sum(tried.values())} inputs tried, {failed} failing tests so far "
        f"(a server error fails its test) {dict(sorted(tried.items()))}"
    )
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(line)


# --- checking an answer ------------------------------------------------------------------

# Where pages put what went wrong: beside a field, in a flash or a notice (e.g. "Already
# settled"), in an alert, or as an error page's description.
_MESSAGE = re.compile(
    r'class="(?:field-error|flash[^"]*|notice[^"]*)"[^>]*>\s*([^<]+)'
    r'|role="alert"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)'
    r"|</h1>\s*<p>([^<]+)</p>"
)


def refusal_message(response) -> str | None:
    """What a 4xx answer tells its user was wrong (None: nothing, or only HTTP's generic)."""
    if response.is_json:
        message = (response.get_json(silent=True) or {}).get("message")
        return message or None
    found = [
        text.strip()
        for match in _MESSAGE.findall(response.get_data(as_text=True))
        for text in match
        if text.strip()
    ]
    useful = [text for text in found if text not in GENERIC]
    return useful[0] if useful else None


def assert_answered(response, what: str) -> None:
    """No server error, no traceback, and a 4xx says what was wrong."""
    body = response.get_data(as_text=True)
    assert response.status_code < 500, f"{what}: {response.status_code}\n{body[:3000]}"
    assert "Traceback (most recent call last)" not in body, f"{what}:\n{body[:3000]}"
    if 400 <= response.status_code < 500:
        assert refusal_message(response), (
            f"{what}: {response.status_code} says nothing of what was wrong:\n{body[:3000]}"
        )


# --- posting to every route --------------------------------------------------------------


def _post_rules() -> list[tuple[str, str]]:
    app = make_test_app("sqlite://")
    rules = [
        (rule.rule, rule.endpoint) for rule in app.url_map.iter_rules() if "POST" in rule.methods
    ]
    return sorted(rules, key=lambda r: (bool(DESTRUCTIVE.search(r[1] + r[0])), r[0]))


def _fields(forms: list[Form]) -> st.SearchStrategy[tuple[Form, dict]]:
    """A form the app shows and values for any of its fields (some left out, some repeated)."""

    def values(form: Form) -> st.SearchStrategy[tuple[Form, dict]]:
        one = {name: value_for(offered) for name, offered in form.fields.items()}
        several = {
            name: st.one_of(strategy, st.lists(strategy, min_size=2, max_size=3))
            for name, strategy in one.items()
        }
        extra = st.dictionaries(TEXT, value_for([]), max_size=2)
        chosen = st.fixed_dictionaries({}, optional=several)
        return st.tuples(st.just(form), st.builds(lambda a, b: {**b, **a}, chosen, extra))

    return st.sampled_from(forms).flatmap(values)


def _client_for(world: World, rule: Rule) -> tuple[FlaskClient, str]:
    """The client whose role the route wants (logging out needs an account of its own)."""
    role = _role_of(rule)
    if rule.endpoint == "auth.logout":
        return _signed_in(world.app, world.leaver)
    if role is None:
        client = world.app.test_client()
        return client, csrf_token(client, "/login")
    return world.clients[role], world.tokens[role]


def _rule(app: Flask, endpoint: str) -> Rule:
    return next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and "POST" in r.methods
    )


def _stand_in_forms(world: World, rule: Rule) -> list[Form]:
    """For a route no page shows a form for: its addresses, with every field name known."""
    names = {name for forms in world.forms.values() for form in forms for name in form.fields}
    return [
        Form(url, {name: [] for name in sorted(names)}) for url in _urls(world.app, rule, world.ids)
    ]


def _own_forms(world: World, rule: Rule) -> list[Form]:
    """The route's forms, only those aimed at the world's own ids (never at the fuzzing users).

    Each address parameter is checked against the ids of its own kind: a user id must be the
    victim's, not a fuzzing user's that happens to equal a slot or an attempt id.
    """
    adapter = world.app.url_map.bind("localhost")

    def own(form: Form) -> bool:
        _, args = adapter.match(urlsplit(form.action).path, method="POST")
        return all(str(v) in map(str, world.ids.get(name, [])) for name, v in args.items())

    forms = [form for form in world.forms.get(rule.endpoint, []) if own(form)]
    return forms or _stand_in_forms(world, rule)


def _file_body(data: dict, form: Form, upload: bytes) -> dict:
    for name in form.files:
        data[name] = (io.BytesIO(upload), "upload.csv")
    return data


@pytest.mark.parametrize(("path", "endpoint"), _post_rules())
def test_any_form_post_is_answered_with_a_page_or_a_refusal_that_says_why(world, path, endpoint):
    rule = _rule(world.app, endpoint)
    forms = _own_forms(world, rule)

    @FUZZ
    @given(chosen=_fields(forms), upload=st.binary(max_size=300), odd_id=st.booleans())
    def post(chosen, upload, odd_id):
        form, data = chosen
        client, token = _client_for(world, rule)
        url = _with_odd_ids(world.app, rule, form.action) if odd_id else form.action
        response = client.post(
            url,
            data=_file_body({**data, "csrf_token": token}, form, upload),
            headers={"X-CSRFToken": token},
        )
        TRIED[f"{world.backend} {endpoint}"] += 1
        assert_answered(response, f"POST {url} {data!r}"[:3000])

    post()


def _with_odd_ids(app: Flask, rule: Rule, url: str) -> str:
    """The same address with ids nobody has (0 and the largest one allowed)."""
    _, args = app.url_map.bind("localhost").match(urlsplit(url).path, method="POST")
    odd = {
        k: (0 if k != "slot" else 2147483647) if isinstance(v, int) else v for k, v in args.items()
    }
    return app.url_map.bind("localhost").build(rule.endpoint, odd)


def _practice_slots(world: World) -> list[int]:
    return world.ids["slot"]


def test_any_json_autosave_is_answered_with_json(world):
    """The autosave endpoint with any JSON (or not JSON at all), nested as deep as you like."""
    client, token = world.clients["trainee"], world.tokens["trainee"]
    attempt_id = world.ids["attempt_id"][0]
    bodies = st.one_of(
        st.fixed_dictionaries(
            {
                "slot": st.one_of(st.sampled_from(_practice_slots(world)), JSON_VALUE),
                "response": st.one_of(JSON_VALUE, st.lists(TEXT, max_size=4), HOSTILE),
            },
            optional={"seq": st.one_of(st.integers(0, 50), JSON_VALUE)},
        ).map(json.dumps),
        JSON_VALUE.map(json.dumps),
        st.integers(1, 5000).map(lambda depth: "[" * depth + "]" * depth),
        TEXT,
    )

    @settings(FUZZ, max_examples=EXAMPLES_PER_ROUTE * 8)
    @given(body=bodies)
    def post(body):
        response = client.post(
            f"/attempts/{attempt_id}/answer",
            data=body,
            content_type="application/json",
            headers={"X-CSRFToken": token, "Accept": "application/json"},
        )
        TRIED[f"{world.backend} autosave JSON"] += 1
        assert_answered(response, f"autosave {body[:500]!r}")
        assert response.is_json, f"autosave {body[:500]!r}: {response.content_type}"

    post()


# Query parameters the pages read (a search, a page number, a filter by id), and any other.
QUERY_KEYS = (
    "page",
    "q",
    "quiz",
    "user",
    "cohort",
    "sort",
    "version",
    "set",
    "type",
    "since",
    "only",
    "status",
    "tag",
    "next",
    "format",
    "until",
    "kind",
    "fact",
)


def _get_rules() -> list[tuple[str, str]]:
    app = make_test_app("sqlite://")
    rules = [
        (rule.rule, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    ]
    return sorted(rules)


@pytest.mark.parametrize(("path", "endpoint"), _get_rules())
def test_any_query_string_on_any_page_is_answered(world, path, endpoint):
    """Every GET page with odd query parameters: never a server error, refusals say why."""
    rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint)
    client = world.clients[_role_of(rule) or "anonymous"]
    url = next(_urls(world.app, rule, world.ids))
    keys = st.one_of(st.sampled_from(QUERY_KEYS), TEXT)

    @settings(FUZZ, max_examples=EXAMPLES_PER_ROUTE // 2)
    @given(query=st.dictionaries(keys, st.one_of(value_for([]), st.lists(HOSTILE, max_size=2))))
    def get(query):
        response = client.get(url, query_string=query)
        response.get_data()  # a streamed download too, so it ends
        response.close()
        TRIED[f"{world.backend} GET {endpoint}"] += 1
        assert_answered(response, f"GET {url} {query!r}"[:3000])

    get()


# --- importers ---------------------------------------------------------------------------
# Fuzzed after the routes (a loaded dataset changes what the pages show).

IMPORTS = settings(FUZZ, max_examples=EXAMPLES_PER_IMPORTER)
# Characters that mean something to YAML, GIFT, XML or CSV, and a few that mean trouble.
JUNK = st.text(alphabet="{}=~#%:->\\[]<>/&!*|\"',;@ \n\t\r\x00\ufeffaT1.", max_size=30)
LOCATED = re.compile(r"^.+:\d+:\d+: ", re.M)
QUESTION_FILES = {
    name: (FORMAT_SAMPLES / name).read_bytes() for name in ("sample.gift", "sample.xml")
}


def spliced(samples: dict[str, bytes]) -> st.SearchStrategy[tuple[str, bytes]]:
    """A sample file with junk put in anywhere, or any bytes at all under its name."""

    def put(name: str, junk: str, at: int, raw: bytes, whole: bool) -> tuple[str, bytes]:
        data = samples[name]
        at %= len(data) + 1
        return name, raw if whole else data[:at] + junk.encode() + data[at:]

    return st.builds(
        put,
        st.sampled_from(sorted(samples)),
        JUNK,
        st.integers(0),
        st.binary(max_size=200),
        st.integers(0, 4).map(lambda n: n == 0),  # one in five: bytes, not a mended sample
    )


def test_any_question_file_imports_or_is_refused_with_located_problems(world):
    """GIFT, Moodle XML and YAML question files, as `quizapp import` and the upload read them."""
    with world.app.app_context():
        set_name = "Fuzz import"
        samples = {**QUESTION_FILES, **_clean_samples()}

        @IMPORTS
        @given(file=spliced(samples), dry_run=st.booleans())
        def try_import(file, dry_run):
            name, data = file
            TRIED[f"{world.backend} question files"] += 1
            try:
                report = imports_questions.import_file(data, name, set_name, dry_run=dry_run)
            except imports_questions.ImportFailed as failed:
                assert failed.problems and LOCATED.search(str(failed)), str(failed)
                assert all(problem.path == name for problem in failed.problems)
            else:
                stored = report.created + report.updated + report.unchanged
                TRIED[f"{world.backend} question files (of them imported)"] += 1
                assert dry_run or stored == sum(report.counts.values()), report

        try_import()


def _clean_samples() -> dict[str, bytes]:
    """The sample's importable questions written out again: files that import cleanly."""
    good = formats.read_file(FORMAT_SAMPLES / "sample.gift").questions
    return {f"clean.{kind}": formats.write(good, kind).encode() for kind in ("yaml", "gift")}


@pytest.fixture(scope="module")
def dataset_folder(tmp_path_factory) -> Path:
    """A copy of the bundled dataset with its sources, to write fuzzed versions into."""
    folder = tmp_path_factory.mktemp("dataset")
    shutil.copytree(DEFAULT_DATA.parent / "sources", folder / "sources")
    return folder


def test_any_dataset_file_loads_or_is_refused_with_located_problems(world, dataset_folder):
    """Dataset YAML as `quizapp data check` and `data load` read it: checked, then loaded."""
    samples = {"agreements.yaml": DEFAULT_DATA.read_bytes()}
    path = dataset_folder / "agreements.yaml"

    @IMPORTS
    @given(file=spliced(samples))
    def try_load(file):
        path.write_bytes(file[1])
        TRIED[f"{world.backend} dataset files"] += 1
        result = check([path])
        for problem in result.problems:
            assert LOCATED.search(str(problem)), str(problem)
        if not result.problems:
            with world.app.app_context():
                datasets.load(result.dataset)

    try_load()


ROSTER_CELL = st.one_of(
    st.sampled_from(["trainee", "instructor", "admin", "Group A", "", "a@example.org"]),
    st.emails().map(lambda e: e[:60]),
    TEXT,
    HOSTILE,
)


@st.composite
def rosters(draw) -> bytes:
    """A CSV roster: a header of the real columns (shuffled, some missing, some odd) and rows."""
    header = draw(st.permutations(["email", "name", "role", "cohort"]))
    header = header[: draw(st.integers(1, 4))] + draw(st.lists(TEXT, max_size=1))
    rows = draw(st.lists(st.lists(ROSTER_CELL, min_size=0, max_size=5), max_size=4))
    lines = [",".join(header)] + [",".join(f'"{c}"' if "," in c else c for c in r) for r in rows]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return "\n".join(lines).encode(encoding, errors="replace")


def test_any_roster_upload_is_answered_and_a_refusal_lists_its_lines(world):
    """Users CSV through the admin's upload page (the CLI reads it with the same function)."""
    client, token = world.clients["admin"], world.tokens["admin"]

    @IMPORTS
    @given(roster=rosters(), dry_run=st.booleans())
    def upload(roster, dry_run):
        data = {"csrf_token": token, "roster": (io.BytesIO(roster), "roster.csv")}
        if dry_run:
            data["dry_run"] = "y"
        response = client.post("/admin/users/import", data=data)
        TRIED[f"{world.backend} roster files"] += 1
        assert_answered(response, f"roster {roster[:300]!r}")
        if response.status_code == 422:
            assert LOCATED.search(response.text) or "roster.csv" in response.text, response.text

    upload()


def test_a_question_file_with_a_nul_byte_is_refused_at_its_line(world):
    """PostgreSQL cannot store NUL in text: found by this fuzzing as a 500, now a problem."""
    data = b"::One:: Capital of Belarus? {=Minsk ~Moscow}\n\n::Two:: Nul\x00here {TRUE}\n"
    with world.app.app_context(), pytest.raises(imports_questions.ImportFailed) as refused:
        imports_questions.import_file(data, "nul.gift", "Nul set")
    assert str(refused.value).startswith("nul.gift:3:12: the file contains a NUL character")


def test_a_multipart_field_without_a_name_is_answered(world):
    """A field name with a line break loses its name in multipart: found as a 500 here."""
    client, token = world.clients["admin"], world.tokens["admin"]
    data = {"csrf_token": token, "\n": "", "roster": (io.BytesIO(b""), "roster.csv")}
    response = client.post("/admin/users/import", data=data)
    assert_answered(response, "a nameless multipart field")
    assert response.status_code == 422 and "roster.csv:1: the file is empty" in response.text


def test_a_draw_from_a_set_id_past_the_integer_range_is_refused_on_its_field(world):
    """Found by this fuzzing as a 500 on PostgreSQL (integer out of range)."""
    client, token = world.clients["instructor"], world.tokens["instructor"]
    data = {"csrf_token": token, "count": "1", "set_id": "2147483648", "mark": "1", "type": ""}
    response = client.post(f"/instructor/quizzes/{world.ids['quiz_id'][0]}/draws", data=data)
    assert response.status_code == 422 and "Choose a question set." in response.text
