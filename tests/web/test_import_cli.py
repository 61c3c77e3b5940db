"""`quizapp import` and `quizapp export` on both databases: run as a user types them, and
the longer round trips through the same commands inside the test process."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.conftest import quizapp_in_process
from tests.core.formats_helpers import DATA, ROOT
from tests.web.conftest import bank_rows as database_rows
from tests.web.conftest import run_quizapp

GOOD_GIFT = """\
::capital::Which city is the capital of Belarus?{=Minsk ~Moscow ~Kyiv ####Minsk.}

::rivers::Which rivers flow through Kyiv or Minsk?{~%50%Dnieper ~%50%Svislach ~%-50%Volga}

::freezes::The Baltic Sea never freezes.{F}

::vilnius::Which country's capital is Vilnius?{=Lithuania =Republic of Lithuania}

::pairs::Match each capital with its country.{=Minsk -> Belarus =Kyiv -> Ukraine}
"""


def bank_rows(app: Flask) -> tuple[int, int, int]:
    return database_rows(app.config["SQLALCHEMY_DATABASE_URI"])


def test_a_dry_run_counts_by_type_and_writes_nothing(loaded_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "capitals.gift"
    path.write_text(GOOD_GIFT, encoding="utf-8")
    result = run_quizapp(loaded_app, "import", str(path), "--set", "Capitals", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "dry run: would import into set 'Capitals': 1 single_choice, 1 multiple_choice, "
        "1 true_false, 1 short_answer, 1 matching; nothing was written"
    )
    assert bank_rows(loaded_app) == (0, 0, 0)


def test_a_file_with_errors_prints_each_by_line_and_changes_nothing(
    loaded_app: Flask, tmp_path: Path
) -> None:
    result = run_quizapp(loaded_app, "import", str(DATA / "sample.gift"), "--set", "Capitals")
    assert result.returncode == 1
    sample = DATA / "sample.gift"
    for line, what in ((36, "a numerical question"), (38, "an essay"), (40, "a description")):
        assert any(
            row.startswith(f"{sample}:{line}:") and what in row
            for row in result.stderr.splitlines()
        ), result.stderr
    assert "5 error(s) in" in result.stderr and "nothing was imported" in result.stderr
    assert bank_rows(loaded_app) == (0, 0, 0)


def test_import_then_again_then_export_and_back_changes_nothing(
    loaded_app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "capitals.gift"
    path.write_text(GOOD_GIFT, encoding="utf-8")
    first = quizapp_in_process(loaded_app, "import", str(path), "--set", "Capitals")
    assert first.returncode == 0, first.stderr
    assert "(5 new, 0 changed, 0 unchanged)" in first.stdout
    assert bank_rows(loaded_app) == (1, 5, 5)
    again = quizapp_in_process(loaded_app, "import", str(path), "--set", "Capitals")
    assert "(0 new, 0 changed, 5 unchanged)" in again.stdout
    for fmt in ("yaml", "gift", "xml"):
        out = tmp_path / f"export.{fmt}"
        exported = quizapp_in_process(
            loaded_app, "export", "--set", "Capitals", "--format", fmt, "--output", str(out)
        )
        assert exported.returncode == 0, exported.stderr
        back = quizapp_in_process(loaded_app, "import", str(out), "--set", "Capitals")
        assert "(0 new, 0 changed, 5 unchanged)" in back.stdout, (fmt, back.stdout, back.stderr)
    assert bank_rows(loaded_app) == (1, 5, 5)


def test_a_changed_question_gets_a_new_version(loaded_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "capitals.gift"
    path.write_text(GOOD_GIFT, encoding="utf-8")
    quizapp_in_process(loaded_app, "import", str(path), "--set", "Capitals")
    path.write_text(GOOD_GIFT.replace("{F}", "{T}"), encoding="utf-8")
    result = quizapp_in_process(loaded_app, "import", str(path), "--set", "Capitals")
    assert "(0 new, 1 changed, 4 unchanged)" in result.stdout
    assert bank_rows(loaded_app) == (1, 5, 6)


def test_export_to_stdout_and_refusals(loaded_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        "questions:\n  - id: when\n    type: date\n    prompt: When?\n    answer: '2021-06'\n",
        encoding="utf-8",
    )
    assert quizapp_in_process(loaded_app, "import", str(path), "--set", "Dates").returncode == 0
    shown = quizapp_in_process(loaded_app, "export", "--set", "Dates", "--format", "yaml")
    assert shown.returncode == 0 and "name: Dates" in shown.stdout and "id: when" in shown.stdout
    refused = quizapp_in_process(loaded_app, "export", "--set", "Dates", "--format", "gift")
    assert refused.returncode == 1
    assert "'when' (date): GIFT has no date question" in refused.stderr
    missing = quizapp_in_process(loaded_app, "export", "--set", "Nope", "--format", "gift")
    assert missing.returncode == 1 and "no question set named 'Nope'" in missing.stderr


def test_an_unknown_extension_needs_a_format(loaded_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "capitals.quiz"
    path.write_text(GOOD_GIFT, encoding="utf-8")
    refused = quizapp_in_process(loaded_app, "import", str(path), "--set", "Capitals")
    assert refused.returncode == 1 and "cannot tell the format" in refused.stderr
    named = quizapp_in_process(loaded_app, "import", str(path), "--set", "C", "--format", "gift")
    assert named.returncode == 0, named.stderr


def test_a_set_file_imports_with_its_facts_checked(loaded_app: Flask, tmp_path: Path) -> None:
    example = ROOT / "questions" / "sets" / "example.yaml"
    result = quizapp_in_process(loaded_app, "import", str(example), "--set", "Example")
    assert result.returncode == 0, result.stderr
    assert "(8 new, 0 changed, 0 unchanged)" in result.stdout
    assert "warning: the generate rules are not imported" in result.stderr
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "- type: true_false\n  prompt: Q\n  answer: true\n  facts: [svr-kgb-2021:place]\n",
        encoding="utf-8",
    )
    refused = quizapp_in_process(loaded_app, "import", str(wrong), "--set", "Example")
    assert refused.returncode == 1
    assert f"{wrong}:1:1: the dataset has no fact 'svr-kgb-2021:place'" in refused.stderr
    assert bank_rows(loaded_app) == (1, 8, 8)
