"""Reading CSV rosters: any column order, BOM or not, every problem with its line."""

from __future__ import annotations

from quizapp.core.roster import decode, read_roster

ROLES = ["trainee", "instructor", "admin"]


def test_columns_in_any_order_with_a_bom_and_blank_lines():
    data = (
        "\ufeffRole,Cohort,EMAIL,name\r\n"
        "trainee,Minsk,Ana@Example.org, Ana  B \r\n\r\n"
        "instructor,,ian@example.org,\r\n"
    )
    text, problems = decode(data.encode("utf-8"), "r.csv")
    assert problems == []
    rows, problems = read_roster(text, "r.csv", ROLES)
    assert problems == []
    assert [(r.line, r.email, r.name, r.role, r.cohort) for r in rows] == [
        (2, "ana@example.org", "Ana B", "trainee", "Minsk"),
        (4, "ian@example.org", "ian", "instructor", ""),
    ]


def test_optional_columns_may_be_left_out():
    rows, problems = read_roster("email,role\na@example.org,trainee\n", "r.csv", ROLES)
    assert problems == [] and rows[0].cohort == "" and rows[0].name == "a"


def test_every_bad_row_is_reported_with_its_line_and_no_row_is_returned():
    text = (
        "email,name,role,cohort\n"
        "good@example.org,Good,trainee,A\n"
        "not-an-email,Bad,trainee,A\n"
        "x@example.org,X,wizard,A\n"
        "good@example.org,Again,trainee,A\n"
        ",Nobody,trainee,\n"
    )
    rows, problems = read_roster(text, "people.csv", ROLES)
    assert rows == []
    assert [str(p) for p in problems] == [
        "people.csv:3: 'not-an-email' is not an email address (write it as name@example.org)",
        "people.csv:4: 'wizard' is not a role (use one of trainee, instructor, admin)",
        "people.csv:5: good@example.org is also on line 2 (list each account once)",
        "people.csv:6: no email (give each account an email address)",
    ]


def test_a_bad_header_is_reported_on_line_one():
    _, problems = read_roster("mail,name,Role\n", "r.csv", ROLES)
    assert [str(p) for p in problems] == [
        "r.csv:1: unknown column 'mail' (name columns email, name, role, cohort)",
        "r.csv:1: no email column (add a header row naming email, name, role, cohort)",
    ]
    _, problems = read_roster("", "r.csv", ROLES)
    assert (
        str(problems[0])
        == "r.csv:1: the file is empty (start with a header row naming email, name, role, cohort)"
    )
    _, problems = read_roster("email,role\n", "r.csv", ROLES)
    assert "no accounts under the header" in str(problems[0])


def test_a_file_that_is_not_utf8_names_its_line():
    text, problems = decode("email,role\nb\xe9@example.org,trainee\n".encode("latin-1"), "r.csv")
    assert text is None
    assert str(problems[0]) == (
        "r.csv:2: the file is not UTF-8 text (save it as UTF-8; spreadsheets call this CSV UTF-8)"
    )


def test_extra_cells_are_a_problem_not_silently_dropped():
    _, problems = read_roster("email,role\na@example.org,trainee,Minsk, extra\n", "r.csv", ROLES)
    assert "4 cells but 2 columns" in str(problems[0])
