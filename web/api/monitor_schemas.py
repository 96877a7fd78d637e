"""Marshmallow schemas of the coordinator monitoring API (/api/v1/monitor, CONTRACT §5) and of
the notifications: query strings and bodies (load), responses (dump)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from config.monitoring import RULE_KINDS
from config.settings import REGIONS
from web.api.schemas import MAX_ID, response


class RegionQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    region = fields.String(load_default=None, validate=validate.OneOf(REGIONS))


class EscalationQuerySchema(RegionQuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "acknowledged", "resolved")))


class HeatmapQuerySchema(RegionQuerySchema):
    process_id = fields.String(load_default=None, validate=validate.Length(1, 120))


class NotificationQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    unread = fields.Boolean(load_default=False)


class RuleBodySchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(RULE_KINDS))
    subject = fields.String(load_default="", validate=validate.Length(0, 120))
    days = fields.Integer(required=True, strict=True, validate=validate.Range(0, 3650))
    is_active = fields.Boolean(load_default=True, truthy={True}, falsy={False})


class HandoverBodySchema(Schema):
    case_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, MAX_ID)),
        required=True,
        validate=validate.Length(1, 200),
    )
    username = fields.String(required=True, validate=validate.Length(1, 80))


@response
class WaitItemSchema(Schema):
    kind = fields.String(metadata={"enum": ["task", "timer", "message"]})
    name = fields.String()
    element_id = fields.String()
    who = fields.String(allow_none=True)
    at = fields.DateTime(allow_none=True)


@response
class RuleHitSchema(Schema):
    kind = fields.String()
    label = fields.String()
    subject = fields.String()
    days = fields.Integer()
    since_at = fields.DateTime()


@response
class EscalationSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    region = fields.String()
    rule_kind = fields.String()
    subject = fields.String()
    since_at = fields.DateTime()
    level = fields.Integer()
    of = fields.Integer()
    next_step_at = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"enum": ["open", "acknowledged", "resolved"]})
    acknowledged_by = fields.String(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    on_agenda_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)


@response
class StuckCaseSchema(Schema):
    case_id = fields.Integer()
    title = fields.String()
    phase = fields.String()
    since_at = fields.DateTime()
    rules = fields.List(fields.Nested(RuleHitSchema))
    waiting_for = fields.List(fields.Nested(WaitItemSchema))
    escalation = fields.Nested(EscalationSchema, allow_none=True)


@response
class StuckListSchema(Schema):
    region = fields.String()
    items = fields.List(fields.Nested(StuckCaseSchema))


@response
class OverdueTaskSchema(Schema):
    task_id = fields.String()
    case_id = fields.Integer()
    name = fields.String()
    role = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    due_at = fields.DateTime()
    days_overdue = fields.Integer()


@response
class OverdueListSchema(Schema):
    region = fields.String()
    items = fields.List(fields.Nested(OverdueTaskSchema))
    per_role = fields.Dict(keys=fields.String(), values=fields.Integer())


@response
class EscalationListSchema(Schema):
    region = fields.String()
    items = fields.List(fields.Nested(EscalationSchema))


@response
class InflowMonthSchema(Schema):
    month = fields.String()
    count = fields.Integer()
    target_low = fields.Float(allow_none=True)
    target_high = fields.Float(allow_none=True)


@response
class LeadTimeSchema(Schema):
    phase = fields.String()
    count = fields.Integer()
    median_days = fields.Float()
    p90_days = fields.Float()


@response
class ElementWaitSchema(Schema):
    element_id = fields.String()
    name = fields.String()
    count = fields.Integer()
    median_days = fields.Float()


@response
class HeatmapSchema(Schema):
    region = fields.String()
    items = fields.List(fields.Nested(ElementWaitSchema))


@response
class MetricsSchema(Schema):
    region = fields.String()
    at = fields.DateTime()
    open_per_phase = fields.Dict(keys=fields.String(), values=fields.Integer())
    inflow = fields.List(fields.Nested(InflowMonthSchema))
    lead_times = fields.List(fields.Nested(LeadTimeSchema))
    evaluations_due = fields.Integer()
    overdue_per_role = fields.Dict(keys=fields.String(), values=fields.Integer())
    closures = fields.Dict(keys=fields.String(), values=fields.Integer())
    stuck = fields.Integer()
    heatmap = fields.List(fields.Nested(ElementWaitSchema))


@response
class WaitingCaseSchema(Schema):
    case_id = fields.Integer()
    title = fields.String()
    phase = fields.String()
    waiting_days = fields.Float()


@response
class WaitingCaseListSchema(Schema):
    element_id = fields.String()
    items = fields.List(fields.Nested(WaitingCaseSchema))


@response
class RuleSchema(Schema):
    kind = fields.String()
    subject = fields.String()
    label = fields.String()
    days = fields.Integer()
    is_active = fields.Boolean()
    is_default = fields.Boolean()


@response
class RuleListSchema(Schema):
    region = fields.String()
    items = fields.List(fields.Nested(RuleSchema))


@response
class HandoverSchema(Schema):
    case_id = fields.Integer()
    tasks_assigned = fields.Integer()


@response
class HandoverListSchema(Schema):
    items = fields.List(fields.Nested(HandoverSchema))


@response
class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    text = fields.String()
    link = fields.String()
    case_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    is_read = fields.Boolean()


@response
class NotificationListSchema(Schema):
    unread = fields.Integer()
    items = fields.List(fields.Nested(NotificationSchema))
