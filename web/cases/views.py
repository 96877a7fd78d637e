"""Cases: the list of cases one may see (/cases), the case file (/cases/<id>) and a new
aanmelding (/cases/new)."""

from __future__ import annotations

from flask import Blueprint, render_template

from engine import cases
from web import pages

bp = pages.init_blueprint(Blueprint("cases", __name__))


@bp.get("/cases")
def case_list() -> str:
    found, total = cases.list_cases(pages.rt(), pages.actor(), cases.CaseFilter())
    return render_template("cases/list.html", cases=found, total=total)
