"""Whatever is typed into a question file, reading it never raises: it gives sound
questions and problems located inside the file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import formats
from quizapp.core.formats.base import invalid
from tests.core.formats_helpers import DATA

SAMPLES = {name: (DATA / name).read_bytes() for name in ("sample.gift", "sample.xml")}
SAMPLES["sample.yaml"] = formats.write(
    formats.read_file(DATA / "sample.gift").questions, "yaml"
).encode()
JUNK = st.text(alphabet="{}=~#%:->\\[]<>/&!\"' \n\t\r\ufeffabT1.", max_size=30)


def assert_sound(name: str, data: bytes) -> None:
    result = formats.read_bytes(data, name)
    last = data.count(b"\n") + data.count(b"\r") + 2
    assert all(1 <= p.line <= last and p.column >= 1 for p in result.problems)
    assert all(invalid(q) == [] for q in result.questions)
    assert len(result.lines) == len(result.questions)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(sorted(SAMPLES)), junk=JUNK, offset=st.integers(0))
def test_junk_anywhere_gives_sound_questions_and_located_problems(name, junk, offset):
    data = SAMPLES[name]
    offset %= len(data)
    assert_sound(name, data[:offset] + junk.encode() + data[offset:])


@settings(max_examples=100, deadline=None)
@given(name=st.sampled_from(sorted(SAMPLES)), data=st.binary(max_size=200))
def test_any_bytes_are_read_without_raising(name, data):
    assert_sound(name, data)
