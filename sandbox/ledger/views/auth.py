"""Login, logout, the session check and fault injection in front of every page."""

from __future__ import annotations

import hmac
from urllib.parse import urlparse

from flask import Blueprint, Response, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from sandbox.ledger.state import state

bp = Blueprint("auth", __name__)
OPEN_ENDPOINTS = {"auth.login", "static"}


@bp.before_app_request
def guard() -> BaseResponse | tuple[str, int] | None:
    if request.path.startswith(("/admin", "/restapi")):  # the REST API has its own token check and faults
        return None
    st = state()
    if st.faults.should_fail(request.method, request.path):
        return render_template("unavailable.html"), 503
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    token = session.get("token")
    if isinstance(token, str) and st.touch_session(token):
        return None
    session.pop("token", None)
    post_target = urlparse(request.referrer or "").path or "/"
    target = request.full_path.rstrip("?") if request.method == "GET" else post_target
    return redirect(url_for("auth.login", next=target))


@bp.after_app_request
def redesign(response: BaseResponse) -> BaseResponse:
    """Fault "redesign": the vendor ships a new UI; every page keeps working for a person but loses the
    data-testid markup the robot's page objects hold on to."""
    if state().faults.spec.mode == "redesign" and response.mimetype == "text/html" and not request.path.startswith(
            "/admin"):
        response.set_data(response.get_data(as_text=True).replace("data-testid=", "data-qa="))
    return response


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | str:
    cfg = state().config
    error = ""
    if request.method == "POST":
        ok = all(
            hmac.compare_digest(request.form.get(field, "").strip().encode(), expected.encode())
            for field, expected in (
                ("username", cfg.username),
                ("password", cfg.password),
                ("agreement", cfg.agreement_number),
            )
        )
        if ok:
            session["token"] = state().new_session(cfg.username)
            return redirect(_safe_next(request.form.get("next")))
        error = "Forkert brugernavn, adgangskode eller aftalenummer."
    return render_template(
        "login.html", error=error, next=request.values.get("next", ""), username=request.form.get("username", "")
    )


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> BaseResponse:
    token = session.pop("token", None)
    if isinstance(token, str):
        state().end_session(token)
    return redirect(url_for("auth.login"))


@bp.route("/")
def home() -> Response | BaseResponse:
    return redirect(url_for("invoices.listing"))
