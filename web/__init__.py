"""The Flask app factory: one app per Runtime, no module-level app. Registers the session,
login and CSRF, the error mapping and the blueprints per audience (only the JSON API so far)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter

from engine.runtime import Runtime


class TaskIdConverter(BaseConverter):
    """Task ids are SpiffWorkflow's UUIDs; anything else is not a task route (404)."""

    regex = "[0-9A-Fa-f-]{1,36}"


def create_app(rt: Runtime) -> Flask:
    from web import auth, errors
    from web.api.monitor import bp as monitor_api
    from web.api.openapi import build_spec
    from web.api.views import bp as api

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=rt.settings.secret_key,
        MAX_CONTENT_LENGTH=rt.settings.max_upload_bytes,
        SESSION_COOKIE_NAME="mda_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=rt.settings.is_production,  # production runs behind TLS
        # Sessions live server-side (engine/sessions.py); the signed cookie's own limit is a second line.
        PERMANENT_SESSION_LIFETIME=timedelta(hours=rt.settings.session_max_hours),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked per request by auth.protect_cookie_writes
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session it is bound to
    )
    app.extensions["mda_runtime"] = rt
    if rt.settings.trusted_proxies:
        hops = rt.settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.url_map.converters["task_id"] = TaskIdConverter
    auth.init_app(app)
    errors.register(app)
    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(monitor_api, url_prefix="/api/v1")  # coordinator monitoring (issue 12)
    app.extensions["mda_openapi"] = build_spec(app)
    register_pages(app, rt)
    return app


def register_pages(app: Flask, rt: Runtime) -> None:
    """The HTML pages (issue 9): security headers on every response, the shared layout, and one
    blueprint per audience. Designer and monitor add theirs here (see docs/web.md)."""
    from engine.access import POLICY
    from web import pages, security
    from web.auth.views import bp as auth_pages
    from web.cases.views import bp as cases_pages
    from web.designer.views import bp as designer_pages
    from web.inbox.views import bp as inbox_pages
    from web.monitor.views import bp as monitor_pages
    from web.site.views import bp as site_pages

    security.init_app(app, is_production=rt.settings.is_production)
    pages.init_app(app)
    for blueprint in (site_pages, auth_pages, inbox_pages, cases_pages, monitor_pages, designer_pages):
        app.register_blueprint(blueprint)
    pages.add_nav(app, pages.NavItem("inbox.inbox", "Inbox", order=10))
    pages.add_nav(app, pages.NavItem("cases.case_list", "Zaken", order=20))
    pages.add_nav(
        app, pages.NavItem("cases.new_case", "Nieuwe aanmelding", roles=POLICY["start_case"].roles, order=30)
    )
    monitoring = pages.NavItem("monitor.start", "Monitoring", roles=POLICY["monitor"].roles, order=40)
    pages.add_nav(app, monitoring)
    design_roles = POLICY["design_models"].roles
    designing = pages.NavItem("designer.index", "Procesontwerp", roles=design_roles, order=60)
    pages.add_nav(app, designing)
