"""Marshmallow schemas of the JSON API: request bodies and query strings (load) and responses
(dump). The OpenAPI description is generated from these, so they are the API's documentation too."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, pre_dump, validate

from config.settings import REGIONS, ROLES
from engine.model_checks import PHASES
from web.api.cursors import CaseCursor, TaskCursor

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
MAX_PAGE = 200


def response(cls: type[Schema]) -> type[Schema]:
    """A response schema: every field is always present, so document each as required."""
    for field in cls._declared_fields.values():
        field.required = True
    return cls


def _limit() -> fields.Integer:
    return fields.Integer(load_default=50, validate=validate.Range(1, MAX_PAGE))


def _offset() -> fields.Integer:
    return fields.Integer(load_default=0, validate=validate.Range(0, MAX_ID))


def _strict_bool(**kwargs: Any) -> fields.Boolean:
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


# ---- requests ---------------------------------------------------------------------------------


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(1, 80))
    password = fields.String(required=True, validate=validate.Length(1, 1024))


class StartCaseSchema(Schema):
    region = fields.String(required=True, validate=validate.OneOf(REGIONS))
    process_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 120))
    data = fields.Dict(keys=fields.String(), load_default=dict)


class CaseQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    region = fields.String(validate=validate.OneOf(REGIONS))
    status = fields.String(validate=validate.OneOf(("open", "closed")))
    phase = fields.String(validate=validate.OneOf(PHASES))
    stuck = fields.Boolean(load_default=False)
    limit = _limit()
    offset = _offset()
    after = CaseCursor()


class TaskQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    role = fields.String(validate=validate.OneOf(ROLES))
    region = fields.String(validate=validate.OneOf(REGIONS))
    overdue = fields.Boolean(load_default=False)
    limit = _limit()
    offset = _offset()
    after = TaskCursor()


class ProcessQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    process_id = fields.String(load_default=None, validate=validate.Length(1, 120))


class UploadQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    file_name = fields.String(
        load_default="model.bpmn", validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,120}\.(bpmn|dmn)$")
    )


class PublishSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class AssignSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(1, 80))


class CompleteSchema(Schema):
    data = fields.Dict(keys=fields.String(), load_default=dict)


class MigrateSchema(Schema):
    version_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_ID))
    dry_run = _strict_bool(load_default=False)


class MessageSchema(Schema):
    name = fields.String(
        required=True, validate=validate.Length(1, 120), metadata={"example": "evaluatie_vervroegen"}
    )


class ClockMoveSchema(Schema):
    advance = fields.String(validate=validate.Length(1, 40), metadata={"example": "P3M"})
    moment = fields.String(
        data_key="set", validate=validate.Length(1, 40), metadata={"example": "2026-04-05T09:00:00+00:00"}
    )


# ---- responses --------------------------------------------------------------------------------


@response
class ErrorBodySchema(Schema):
    code = fields.String()
    message = fields.String()
    details = fields.Raw(allow_none=True)


@response
class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema)


@response
class RoleSchema(Schema):
    region = fields.String()
    role = fields.String()


def _roles(roles: Any) -> list[dict[str, str]]:
    return [{"region": region, "role": role} for region, role in roles]


@response
class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    organisation = fields.String(allow_none=True)
    roles = fields.List(fields.Nested(RoleSchema))
    regions = fields.List(fields.String())

    @pre_dump
    def _flatten(self, info: Any, **_: Any) -> dict[str, Any]:
        return {**asdict(info), "roles": _roles(info.roles), "regions": sorted({r for r, _ in info.roles})}


@response
class LoginResultSchema(Schema):
    username = fields.String()
    roles = fields.List(fields.Nested(RoleSchema))
    csrf_token = fields.String()


@response
class CsrfSchema(Schema):
    csrf_token = fields.String()


@response
class ModelVersionSchema(Schema):
    id = fields.Integer()
    region = fields.String()
    process_id = fields.String()
    kind = fields.String(metadata={"enum": ["bpmn", "dmn"]})
    version = fields.Integer()
    status = fields.String(metadata={"enum": ["draft", "published", "retired"]})
    name = fields.String()
    file_name = fields.String()
    created_by = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    start_form_key = fields.String(allow_none=True)
    # process designer: where the text came from, who published it and why, problems of a draft
    origin = fields.String(metadata={"enum": ["repository", "upload", "designer"]})
    published_by = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    problems = fields.List(fields.Dict(), metadata={"description": "lijst van {element_id, message}"})


@response
class ModelVersionListSchema(Schema):
    items = fields.List(fields.Nested(ModelVersionSchema))


@response
class RegionSchema(Schema):
    key = fields.String()
    name = fields.String()
    published = fields.List(fields.Nested(ModelVersionSchema))


@response
class RegionListSchema(Schema):
    items = fields.List(fields.Nested(RegionSchema))


@response
class FormSchema(Schema):
    key = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    # `fields` is taken by marshmallow's Schema itself
    form_fields = fields.List(fields.Dict(), data_key="fields", attribute="fields")


@response
class CaseSchema(Schema):
    id = fields.Integer()
    region = fields.String()
    title = fields.String()
    status = fields.String()
    phase = fields.String()
    process_id = fields.String()
    model_version_id = fields.Integer()
    created_at = fields.DateTime()
    last_activity_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


@response
class CasePageSchema(Schema):
    items = fields.List(fields.Nested(CaseSchema))
    total = fields.Integer(
        metadata={"description": "exact tot en met 1000; 1001 betekent 'meer dan 1000'", "maximum": 1001}
    )
    limit = fields.Integer()
    offset = fields.Integer()
    next_after = CaseCursor(is_answer=True)


@response
class TaskSchema(Schema):
    id = fields.String()
    case_id = fields.Integer()
    region = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    phase = fields.String(allow_none=True)
    form_key = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    status = fields.String()
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


@response
class TaskPageSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema))
    total = fields.Integer(
        metadata={"description": "exact tot en met 1000; 1001 betekent 'meer dan 1000'", "maximum": 1001}
    )
    limit = fields.Integer()
    offset = fields.Integer()
    next_after = TaskCursor(is_answer=True)


@response
class TaskDetailSchema(TaskSchema):
    form = fields.Nested(FormSchema, allow_none=True)
    data = fields.Dict()

    @pre_dump
    def _flatten(self, detail: Any, **_: Any) -> dict[str, Any]:
        return {**asdict(detail.task), "form": detail.form, "data": detail.data}


@response
class TimerSchema(Schema):
    id = fields.String()
    name = fields.String()
    due_at = fields.DateTime()


@response
class TeamMemberSchema(Schema):
    role = fields.String()
    username = fields.String()
    display_name = fields.String()


@response
class EventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    kind = fields.String()
    actor = fields.String()
    task_id = fields.String(allow_none=True)
    data = fields.Dict()


class LinkedCaseSchema(Schema):
    id = fields.Integer()
    relation = fields.String()
    status = fields.String()
    phase = fields.String()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


@response
class CaseDetailSchema(CaseSchema):
    model_version = fields.Integer()
    open_tasks = fields.List(fields.Nested(TaskSchema))
    timers = fields.List(fields.Nested(TimerSchema))
    team = fields.List(fields.Nested(TeamMemberSchema))
    history = fields.List(fields.Nested(EventSchema))
    viewed_as = fields.String()
    linked_cases = fields.List(fields.Nested(LinkedCaseSchema))

    @pre_dump
    def _flatten(self, detail: Any, **_: Any) -> dict[str, Any]:
        rest = {name: getattr(detail, name) for name in ("model_version", "open_tasks", "timers", "team")}
        return {
            **asdict(detail.case),
            **rest,
            "history": detail.history,
            "viewed_as": detail.viewed_as,
            "linked_cases": detail.linked_cases,
        }


@response
class AccessEntrySchema(Schema):
    at = fields.DateTime()
    username = fields.String()
    role = fields.String()
    kind = fields.String()


@response
class AccessLogSchema(Schema):
    items = fields.List(fields.Nested(AccessEntrySchema))


@response
class MigrationReportSchema(Schema):
    case_id = fields.Integer()
    from_version = fields.Integer()
    to_version = fields.Integer()
    removed = fields.List(fields.String())
    changed = fields.List(fields.String())
    added = fields.List(fields.String())
    blocking = fields.List(fields.String())
    dry_run = fields.Boolean()
    migrated = fields.Boolean()
    waiting_at = fields.List(fields.String(), allow_none=True)
    error = fields.String(allow_none=True)


@response
class ClockSchema(Schema):
    now = fields.DateTime()
    is_simulated = fields.Boolean()
    cases_advanced = fields.Integer()


@response
class WaitingMessagesSchema(Schema):
    items = fields.List(fields.String(), metadata={"description": "berichten waarop de zaak nu wacht"})
