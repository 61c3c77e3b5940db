"""Static files under content-hashed URLs, kept by browsers for a year.

`url_for("static", filename=...)` adds `?v=<hash of the file's bytes>`; a request carrying
the current hash is answered with `Cache-Control: public, max-age=31536000, immutable`.
A changed file gets a new URL, so a browser never keeps an old stylesheet or script.
Hashes are computed once per file and recomputed when its size or mtime changes (looked
at once per QUIZAPP_RECHECK_SECONDS).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


class StaticHashes:
    """The content hash of each file in a static folder, computed when first asked.

    A file's size and mtime are looked at again once ``recheck`` seconds have passed since
    the last look (every time with 0), not on each of the several URLs a page builds.
    """

    def __init__(self, folder: str, recheck: float = 0.0, clock=time.monotonic) -> None:
        self.folder = Path(folder)
        self.recheck, self.clock = recheck, clock
        self.known: dict[str, tuple[float, tuple[int, int], str]] = {}

    def __call__(self, filename: str) -> str | None:
        now = self.clock()
        cached = self.known.get(filename)
        if cached is not None and now - cached[0] < self.recheck:
            return cached[2]
        path = self.folder / filename
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            self.known.pop(filename, None)
            return None
        mark = (info.st_mtime_ns, info.st_size)
        digest = cached[2] if cached is not None and cached[1] == mark else None
        if digest is None:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self.known[filename] = (now, mark, digest)
        return digest


def init_app(app: Flask) -> None:
    """Hash the static URLs this app builds and let browsers keep what they fetch by hash."""
    if not app.static_folder:
        return
    hashes = StaticHashes(app.static_folder, app.config.get("QUIZAPP_RECHECK_SECONDS", 1.0))

    @app.url_defaults
    def _add_hash(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        if digest := hashes(values["filename"]):
            values["v"] = digest

    @app.after_request
    def _cache_hashed(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == hashes(filename):
                response.cache_control.no_cache = None  # send_file's default when no max-age
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
        return response
