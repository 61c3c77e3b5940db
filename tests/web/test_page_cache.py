"""Cached public pages and static files: fresh after every change, in every worker."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from quizapp.config import DEFAULT_DATA
from quizapp.extensions import db
from quizapp.services import accounts
from quizapp.static_files import StaticHashes
from tests.conftest import make_test_app, quizapp_command
from tests.servers import Browser, gunicorn_servers
from tests.web.conftest import login

OLD_TITLE = "Cooperation agreement between the Belarusian Interior Ministry and Rosgvardiya"
NEW_TITLE = "Interior Ministry and Rosgvardiya cooperation agreement (renamed)"
AGREEMENT = "/agreements/interior-ministry-rosgvardiya-2020"
PAGES = ("/", "/timeline", AGREEMENT)


def load(database_url: str, path=DEFAULT_DATA) -> None:
    """`quizapp data load` in its own process, as an operator runs it beside the workers."""
    env = {"DATABASE_URL": database_url}
    result = quizapp_command("data", "load", "--replace", str(path), env=env)
    assert result.returncode == 0, result.stderr


def renamed_copy(tmp_path):
    shutil.copytree(DEFAULT_DATA.parent / "sources", tmp_path / "sources")
    edited = tmp_path / "agreements.yaml"
    text = DEFAULT_DATA.read_text(encoding="utf-8")
    assert OLD_TITLE in text
    edited.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")
    return edited


def test_a_data_load_shows_on_the_next_request_in_every_worker(tmp_path, database_url):
    load(database_url)
    # Two apps: two page caches, each rechecking the version on every request.
    workers = [make_test_app(database_url, QUIZAPP_RECHECK_SECONDS=0) for _ in range(2)]
    anonymous = [app.test_client() for app in workers]
    with_cookie = [app.test_client() for app in workers]
    etags = {}
    for number, client in enumerate(anonymous):
        with_cookie[number].get("/login")  # a session cookie: pages rendered for the visitor
        for path in PAGES:
            response = client.get(path)
            assert OLD_TITLE in response.text and NEW_TITLE not in response.text
            etags[path] = response.headers["ETag"]
            assert OLD_TITLE in with_cookie[number].get(path).text

    load(database_url, renamed_copy(tmp_path))

    for number, client in enumerate(anonymous):
        for path in PAGES:
            response = client.get(path, headers={"If-None-Match": etags[path]})
            assert response.status_code == 200, (number, path)
            assert NEW_TITLE in response.text and OLD_TITLE not in response.text
            assert response.headers["ETag"] != etags[path]
            assert NEW_TITLE in with_cookie[number].get(path).text
        version = client.get("/healthz").json["dataset_version"]
        assert version == anonymous[0].get("/healthz").json["dataset_version"]
    for app in workers:
        with app.app_context():
            db.engine.dispose()


def test_a_data_load_shows_in_every_gunicorn_worker_within_the_recheck_time(tmp_path, database_url):
    load(database_url)
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "page-cache", "QUIZAPP_RECHECK_SECONDS": "1"}
    with gunicorn_servers(1, env, tmp_path, workers=2) as (server,):
        browser = Browser()
        # A new connection each time: the two workers share the requests between them.
        for _ in range(10):
            for path in PAGES:
                status, page = browser.request(server.url + path)
                assert status == 200 and OLD_TITLE in page

        load(database_url, renamed_copy(tmp_path))
        time.sleep(1.2)  # every worker's last read of the version is now older than 1 s

        for _ in range(10):
            for path in PAGES:
                status, page = browser.request(server.url + path)
                assert status == 200 and NEW_TITLE in page and OLD_TITLE not in page, path
        assert not browser.cookies, "anonymous pages set no cookie"


def test_a_repeated_anonymous_get_is_answered_whole_without_flask(loaded_app, monkeypatch):
    client = loaded_app.test_client()
    first = client.get("/timeline")
    assert first.status_code == 200 and "Date" not in first.headers  # the server adds it

    def no_flask():
        raise AssertionError("the request went through Flask")

    monkeypatch.setattr(loaded_app, "full_dispatch_request", no_flask)
    again = client.get("/timeline")
    assert again.status_code == 200 and again.data == first.data
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    assert again.headers["X-Frame-Options"] == "DENY" and again.headers["Vary"] == "Cookie"
    # A query string, a cookie or a condition goes through Flask and its checks.
    for headers, query in [({}, "x=1"), ({"If-None-Match": '"x"'}, "")]:
        with pytest.raises(AssertionError, match="through Flask"):
            client.get("/timeline", headers=headers, query_string=query)
    client.set_cookie("theme", "dark")  # not ours, but Flask decides that
    with pytest.raises(AssertionError, match="through Flask"):
        client.get("/timeline")


def test_a_change_committed_in_the_worker_shows_on_its_next_request(loaded_app):
    client = loaded_app.test_client()
    assert ">Sign up<" not in client.get("/").text
    with loaded_app.app_context():
        accounts.set_self_signup(True)
    assert ">Sign up<" in client.get("/").text


def test_revalidation_gets_a_304_until_the_page_would_change(loaded_app):
    client = loaded_app.test_client()
    first = client.get("/")
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert first.headers["Vary"] == "Cookie" and first.last_modified is not None
    etag = first.headers["ETag"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get("/", headers=since).status_code == 304
    assert "Sign up" not in first.text

    with loaded_app.app_context():
        accounts.set_self_signup(True)  # an admin opens sign-up: the navigation changes

    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Sign up" in changed.text
    assert changed.headers["ETag"] != etag


def test_signed_in_visitors_get_a_page_of_their_own(loaded_app, make_user):
    anonymous = loaded_app.test_client()
    anonymous.get("/timeline")  # the shared copy exists
    user = make_user("trainee", name="Ada Trainee")
    client = loaded_app.test_client()
    assert login(client, user.email, user.password).status_code == 302
    page = client.get("/timeline")
    assert "Signed in as Ada Trainee" in page.text and "Log out" in page.text
    assert not page.cache_control.public  # never kept by a shared cache
    assert "ETag" not in page.headers
    assert "Ada Trainee" not in anonymous.get("/timeline").text
    # The content is kept once for everyone; each visitor's layout is their own.
    other = make_user("trainee", name="Bob Trainee")
    second = loaded_app.test_client()
    assert login(second, other.email, other.password).status_code == 302
    again = second.get("/timeline").text
    assert "Signed in as Bob Trainee" in again and "Ada Trainee" not in again
    assert again.split("<h1")[1] == page.text.split("<h1")[1]  # after the welcome message


def test_a_flashed_message_is_not_lost_to_the_cache(loaded_app, make_user):
    user = make_user("trainee")
    client = loaded_app.test_client()
    login(client, user.email, user.password)
    page = client.get("/dashboard").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/logout", data={"csrf_token": token})
    assert "You have logged out." in client.get("/").text


def test_an_unknown_agreement_is_a_404_every_time(loaded_app):
    client = loaded_app.test_client()
    for _ in range(2):
        assert client.get("/agreements/no-such-thing").status_code == 404


@pytest.fixture
def css_url(loaded_app) -> str:
    page = loaded_app.test_client().get("/").text
    return re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page).group(1)


def test_static_files_have_content_hashed_urls_kept_a_year(loaded_app, css_url):
    client = loaded_app.test_client()
    with client.get(css_url) as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable and response.cache_control.public
        assert not response.cache_control.no_cache
    for stale in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab"):
        with client.get(stale) as response:
            assert response.cache_control.max_age is None, stale


def test_a_changed_static_file_gets_a_new_hash(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body { color: black; }")
    hashes = StaticHashes(str(tmp_path))
    before = hashes("css/app.css")
    assert hashes("css/app.css") == before
    (tmp_path / "css" / "app.css").write_text("body { color: navy; }")
    assert hashes("css/app.css") != before
    assert hashes("css/missing.css") is None


def test_a_static_file_is_looked_at_again_once_the_recheck_time_has_passed(tmp_path):
    page = tmp_path / "app.js"
    page.write_text("one()")
    now = [100.0]
    hashes = StaticHashes(str(tmp_path), recheck=1.0, clock=lambda: now[0])
    before = hashes("app.js")
    page.write_text("two()")
    now[0] += 0.5
    assert hashes("app.js") == before  # the same page's other URLs: no new look
    now[0] += 0.6
    assert hashes("app.js") not in (before, None)
