"""`quizapp data check` and `quizapp data load`, run as a user types them (the longer
sequences of loads through the same command inside the test process)."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from quizapp.config import DEFAULT_DATA
from quizapp.core.loader import check, dataset_files
from tests.conftest import quizapp_command, quizapp_in_process
from tests.web.conftest import bank_rows


def broken_copy(tmp_path: Path) -> Path:
    """The bundled data with a date that does not exist and a duplicated agreement key."""
    shutil.copytree(DEFAULT_DATA.parent / "sources", tmp_path / "sources")
    text = DEFAULT_DATA.read_text(encoding="utf-8")
    text = text.replace("value: 2021-06\n", "value: 2021-06-31\n", 1)
    text = text.replace("- key: border-committee-sochi-2021", "- key: svr-kgb-2021", 1)
    path = tmp_path / "agreements.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def counts(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT count(*) FROM dataset_versions")).scalar_one()
        facts = conn.execute(sa.text("SELECT count(*) FROM facts")).scalar_one()
    engine.dispose()
    return versions, facts


def bundled_counts() -> dict[str, int]:
    """What the bundled dataset files hold, read by the core without the CLI."""
    return check(dataset_files(DEFAULT_DATA.parent)).dataset.counts()


def test_check_passes_the_bundled_dataset():
    result = quizapp_command("data", "check")
    assert result.returncode == 0, result.stderr
    want = bundled_counts()
    assert want["facts"] > 50, want
    assert result.stdout.startswith(
        f"ok: {want['agreements']} agreements, {want['facts']} facts, {want['sources']} sources"
    )


def test_check_reports_a_bad_date_and_a_duplicate_key_by_file_and_line(tmp_path):
    path = broken_copy(tmp_path)
    result = quizapp_command("data", "check", str(path))
    assert result.returncode == 1
    assert f"{path}:{line_of(path, 'value: 2021-06-31')}:" in result.stderr
    duplicate_line = [
        i
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if "- key: svr-kgb-2021" in line
    ][1]
    assert f"{path}:{duplicate_line}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_refuses_bad_data_and_changes_nothing(tmp_path, database_url):
    env = {"DATABASE_URL": database_url}
    result = quizapp_command("data", "load", str(broken_copy(tmp_path)), env=env)
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr
    assert counts(database_url) == (0, 0)


def test_load_twice_changes_nothing_the_second_time(app, database_url):
    first = quizapp_command("data", "load", env={"DATABASE_URL": database_url})
    assert first.returncode == 0, first.stderr
    assert "loaded dataset version" in first.stdout
    second = quizapp_in_process(app, "data", "load")
    assert second.returncode == 0
    assert second.stdout.startswith("unchanged:")
    assert counts(database_url) == (1, bundled_counts()["facts"])


def test_load_reports_a_fact_that_changed(tmp_path, app, database_url):
    assert quizapp_in_process(app, "data", "load").returncode == 0
    shutil.copytree(DEFAULT_DATA.parent / "sources", tmp_path / "sources")
    edited = tmp_path / "agreements.yaml"
    edited.write_text(
        DEFAULT_DATA.read_text(encoding="utf-8").replace("value: 2021-06\n", "value: 2021\n", 1),
        encoding="utf-8",
    )
    result = quizapp_in_process(app, "data", "load", "--replace", str(edited))
    assert result.returncode == 0, result.stderr
    assert "fact changed: svr-kgb-2021:date" in result.stdout
    assert counts(database_url)[0] == 2


SECOND = Path(__file__).resolve().parents[1] / "data" / "second" / "union-timeline.yaml"


def test_two_dataset_files_share_entities_and_load_together():
    """The second file defines Russia and Moscow again and names Lukashenko, defined in
    the first: one registry, no 'key already used'."""
    result = quizapp_command("data", "check", str(DEFAULT_DATA), str(SECOND))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 11 agreements")
    alone = quizapp_command("data", "check", str(SECOND))
    assert alone.returncode == 1
    assert "no person has the key 'alexander-lukashenko'" in alone.stderr


def test_load_adds_a_file_beside_those_loaded_and_replace_replaces(app, database_url):
    assert quizapp_in_process(app, "data", "load").returncode == 0
    added = quizapp_in_process(app, "data", "load", str(SECOND))
    assert added.returncode == 0, added.stderr
    assert (
        "22 agreements" in added.stdout
        and "agreements.yaml, union-state.yaml, union-timeline.yaml" in added.stdout
    )
    assert "fact removed" not in added.stdout
    again = quizapp_in_process(app, "data", "load")
    assert again.stdout.startswith("unchanged:"), again.stdout
    replaced = quizapp_in_process(app, "data", "load", "--replace", str(DEFAULT_DATA))
    assert replaced.returncode == 0, replaced.stderr
    assert "7 agreements" in replaced.stdout and "fact removed: belavezha-accords:date" in (
        replaced.stdout
    )


def test_generate_reads_quizapp_data_like_data_load(tmp_path):
    both = f"{DEFAULT_DATA}:{SECOND}"
    result = quizapp_command(
        "generate", "--count", "30", "--format", "json", env={"QUIZAPP_DATA": both}
    )
    assert result.returncode == 0, result.stderr
    assert "Belavezha Accords" in result.stdout or "union-timeline" in result.stdout
    folder = quizapp_command(
        "generate", "--count", "2", "--data", str(SECOND.parent), env={"QUIZAPP_DATA": ""}
    )
    assert folder.returncode == 1 and "alexander-lukashenko" in folder.stderr


def test_every_command_has_help():
    for command in (["data"], ["data", "check"], ["data", "load"], ["db", "upgrade"]):
        result = quizapp_command(*command, "--help")
        assert result.returncode == 0, command
        assert "Usage:" in result.stdout


def test_check_reports_a_broken_question_set_by_line(tmp_path: Path):
    shutil.copytree(DEFAULT_DATA.parent / "sources", tmp_path / "sources")
    shutil.copy(DEFAULT_DATA, tmp_path / "agreements.yaml")
    (tmp_path / "sets").mkdir()
    bad = tmp_path / "sets" / "bad.yaml"
    bad.write_text(
        "name: Bad\nquestions:\n  - type: true_false\n    prompt: Q\n    answer: maybe\n"
    )
    result = quizapp_command("data", "check", str(tmp_path / "agreements.yaml"))
    assert result.returncode == 1
    assert f"{bad}:5:13: the answer must be true or false" in result.stderr
    bad.unlink()
    result = quizapp_command("data", "check", str(tmp_path / "agreements.yaml"))
    assert result.returncode == 0 and "0 question set(s)" in result.stdout


def test_load_stores_the_question_sets_with_the_dataset_once(app, database_url):
    first = quizapp_in_process(app, "data", "load")
    assert first.returncode == 0, first.stderr
    set_line = "set 'Security agreements 2020-2021': 11 questions"
    assert f"{set_line} (11 new, 0 changed, 0 unchanged)" in first.stdout
    assert bank_rows(database_url) == (1, 11, 11)
    second = quizapp_in_process(app, "data", "load")
    assert f"{set_line} (0 new, 0 changed, 11 unchanged)" in second.stdout
    assert bank_rows(database_url) == (1, 11, 11)


def test_a_broken_set_stops_the_dataset_load_too(tmp_path, app, database_url):
    shutil.copytree(DEFAULT_DATA.parent / "sources", tmp_path / "sources")
    shutil.copy(DEFAULT_DATA, tmp_path / "agreements.yaml")
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "bad.yaml").write_text("name: Bad\nquestions: []\ncolour: red\n")
    result = quizapp_in_process(app, "data", "load", str(tmp_path / "agreements.yaml"))
    assert result.returncode == 1
    assert f"{tmp_path / 'sets' / 'bad.yaml'}:3:1: unknown field 'colour'" in result.stderr
    assert counts(database_url) == (0, 0) and bank_rows(database_url) == (0, 0, 0)


def test_a_question_taken_out_of_a_set_file_is_kept_and_named(tmp_path, app, database_url):
    shutil.copytree(DEFAULT_DATA.parent / "sources", tmp_path / "sources")
    shutil.copy(DEFAULT_DATA, tmp_path / "agreements.yaml")
    (tmp_path / "sets").mkdir()
    example = (DEFAULT_DATA.parent / "sets" / "example.yaml").read_text(encoding="utf-8")
    (tmp_path / "sets" / "example.yaml").write_text(example, encoding="utf-8")
    data = str(tmp_path / "agreements.yaml")
    assert quizapp_in_process(app, "data", "load", data).returncode == 0
    start = example.index("  - id: border-protection")
    end = example.index("generate:")
    (tmp_path / "sets" / "example.yaml").write_text(example[:start] + example[end:])
    result = quizapp_in_process(app, "data", "load", data)
    assert result.returncode == 0, result.stderr
    assert "10 questions (0 new, 0 changed, 10 unchanged)" in result.stdout
    assert "no longer in the file: border-protection" in result.stdout
    assert bank_rows(database_url) == (1, 11, 11)


def test_check_reads_the_sets_even_when_the_dataset_is_broken(tmp_path):
    path = broken_copy(tmp_path)
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "bad.yaml").write_text("name: [unclosed\n")
    result = quizapp_command("data", "check", str(path))
    assert result.returncode == 1
    assert f"{path}:" in result.stderr and f"{tmp_path / 'sets' / 'bad.yaml'}:" in result.stderr


def test_data_check_refuses_a_billion_laughs_without_a_traceback(tmp_path):
    from tests.core.test_yaml_bounds import LAUGHS

    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS)
    result = quizapp_command("data", "check", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:") and "aliases" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
