"""Schemas of the process designer's API (/api/v1/regions/{region}/...): drafts, history,
outline, comparison, trial runs and batch migration."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from config.settings import REGIONS
from web.api.schemas import MAX_ID, MigrationReportSchema, response

# ---- requests ---------------------------------------------------------------------------------


class DraftQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    file_name = fields.String(
        load_default="model.bpmn", validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,120}\.(bpmn|dmn)$")
    )
    base = fields.Integer(
        load_default=None,
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "de versie die u bewerkt; een concept wordt alleen dan bijgewerkt"},
    )


class HistoryQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    process_id = fields.String(load_default=None, validate=validate.Length(1, 120))


class CompareQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    left = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    right = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))
    left_region = fields.String(load_default=None, validate=validate.OneOf(REGIONS))


class DownloadQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    download = fields.Boolean(load_default=False)


class TrialDataSchema(Schema):
    data = fields.Dict(keys=fields.String(), load_default=None, allow_none=True)


class TrialClockSchema(Schema):
    advance = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(1, 40), metadata={"example": "P5D"}
    )


class MigrateCasesSchema(Schema):
    case_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, MAX_ID)),
        required=True,
        validate=validate.Length(1, 500),
    )


# ---- responses --------------------------------------------------------------------------------


@response
class HistoryEntrySchema(Schema):
    id = fields.Integer()
    process_id = fields.String()
    kind = fields.String(metadata={"enum": ["bpmn", "dmn"]})
    version = fields.Integer()
    status = fields.String()
    origin = fields.String()
    author = fields.String()
    created_at = fields.DateTime()
    publisher = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    note = fields.String(allow_none=True)
    problem_count = fields.Integer()


@response
class HistorySchema(Schema):
    items = fields.List(fields.Nested(HistoryEntrySchema))


@response
class OutlineStepSchema(Schema):
    id = fields.String()
    kind = fields.String()
    text = fields.String()
    details = fields.List(fields.String())


@response
class OutlineSectionSchema(Schema):
    title = fields.String()
    steps = fields.List(fields.Nested(OutlineStepSchema))


@response
class OutlineSchema(Schema):
    sections = fields.List(fields.Nested(OutlineSectionSchema))
    text = fields.String()


@response
class FieldChangeSchema(Schema):
    field = fields.String()
    label = fields.String()
    before = fields.String()
    after = fields.String()


@response
class ElementChangeSchema(Schema):
    id = fields.String()
    other_id = fields.String(allow_none=True)
    kind = fields.String()
    kind_name = fields.String()
    name = fields.String()
    change = fields.String(metadata={"enum": ["added", "removed", "changed"]})
    changed_fields = fields.List(fields.Nested(FieldChangeSchema), data_key="fields", attribute="fields")


@response
class SideSchema(Schema):
    region = fields.String()
    process_id = fields.String()
    version = fields.Integer()
    version_id = fields.Integer()
    status = fields.String()


@response
class ComparisonSchema(Schema):
    left = fields.Nested(SideSchema, allow_none=True)
    right = fields.Nested(SideSchema, allow_none=True)
    changes = fields.List(fields.Nested(ElementChangeSchema))


@response
class TrialTaskSchema(Schema):
    id = fields.String()
    spec_id = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    form = fields.Dict(allow_none=True)


@response
class TrialTimerSchema(Schema):
    spec_id = fields.String()
    name = fields.String()
    due_at = fields.DateTime()


@response
class TrialSchema(Schema):
    id = fields.Integer()
    version_id = fields.Integer()
    now = fields.DateTime()
    is_completed = fields.Boolean()
    path = fields.List(fields.String())
    tasks = fields.List(fields.Nested(TrialTaskSchema))
    timers = fields.List(fields.Nested(TrialTimerSchema))
    data = fields.Dict()


@response
class MigrationBatchSchema(Schema):
    items = fields.List(fields.Nested(MigrationReportSchema))


@response
class FormSummarySchema(Schema):
    key = fields.String()
    title = fields.String()


@response
class FormListSchema(Schema):
    items = fields.List(fields.Nested(FormSummarySchema))


@response
class ProblemSchema(Schema):
    element_id = fields.String(allow_none=True)
    message = fields.String()


@response
class ProblemListSchema(Schema):
    items = fields.List(fields.Nested(ProblemSchema))
