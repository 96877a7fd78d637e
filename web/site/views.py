"""What belongs to the site rather than to one audience: the start address, the accessibility
statement, and the front-end packages served from node_modules (an allow-list, never a CDN)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, send_from_directory, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from config.settings import PROJECT_ROOT
from web import pages

bp = pages.init_blueprint(Blueprint("site", __name__), login_required=False)

NODE_MODULES = PROJECT_ROOT / "node_modules"
# URL name → the package's directory of built files. Only these are reachable, and only below
# the named directory (send_from_directory refuses '..' and absolute paths).
VENDOR = {
    "utrecht-component-library-css": "@utrecht/component-library-css/dist",
    "utrecht-design-tokens": "@utrecht/design-tokens/dist",
    "bpmn-js": "bpmn-js/dist",
    "bpmn-js-properties-panel": "bpmn-js-properties-panel/dist",
    "bpmn-io-properties-panel": "@bpmn-io/properties-panel/dist",
    "camunda-bpmn-moddle": "camunda-bpmn-moddle/resources",
    "dmn-js": "dmn-js/dist",
    "chart.js": "chart.js/dist",
}


@bp.get("/")
def start() -> Response:
    if current_user.is_authenticated and not current_user.by_token:
        return redirect(url_for("inbox.inbox"))
    return redirect(url_for("auth.login"))


@bp.get("/toegankelijkheidsverklaring")
def accessibility_statement() -> str:
    return render_template("site/toegankelijkheidsverklaring.html")


@bp.get("/static/vendor/<package>/<path:filename>")
def vendor(package: str, filename: str) -> Response:
    directory = VENDOR.get(package)
    if directory is None:
        abort(404)
    return send_from_directory(NODE_MODULES / directory, filename)
