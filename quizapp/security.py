"""Response headers that keep pages from being framed, sniffed, cached or fed foreign scripts,
and the trusted reverse proxies whose forwarded headers are believed."""

from __future__ import annotations

from flask import Flask, Response, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything is served from the app itself: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if _personal(response):
        response.headers["Cache-Control"] = "no-store"
    return response


def _personal(response: Response) -> bool:
    """Whether the response may carry personal data: anything to a signed-in user, or an
    answer to a form. Static files and anonymous pages may be cached."""
    if request.endpoint == "static":
        return False
    return "_user_id" in session or request.method not in ("GET", "HEAD")


def register(app: Flask) -> None:
    app.after_request(_add_headers)
    hops = int(app.config.get("QUIZAPP_TRUSTED_PROXIES") or 0)
    if hops:
        # X-Forwarded-For/-Proto/-Host/-Prefix as set by that many proxies in front of us;
        # without them anyone could claim any address and escape the login limit.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
