"""The inbox (/inbox) and the task page: the work of the person signed in."""

from __future__ import annotations

from flask import Blueprint, render_template

from engine import tasks
from web import pages

bp = pages.init_blueprint(Blueprint("inbox", __name__))


@bp.get("/inbox")
def inbox() -> str:
    found, total = tasks.inbox(pages.rt(), pages.actor(), tasks.TaskFilter())
    return render_template("inbox/inbox.html", tasks=found, total=total)
