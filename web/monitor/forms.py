"""The monitoring pages' form posts, validated with marshmallow (CSRF is checked for every post by
pages.init_blueprint)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from config.monitoring import RULE_KINDS


class HandoverForm(Schema):
    class Meta:
        unknown = EXCLUDE  # the csrf_token field

    case_ids = fields.List(
        fields.Integer(validate=validate.Range(1, 2**31 - 1)),
        required=True,
        validate=validate.Length(1, 200, error="Kies één of meer zaken."),
    )
    username = fields.String(required=True, validate=validate.Length(1, 80, error="Kies een collega."))


class RuleForm(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, validate=validate.OneOf(RULE_KINDS))
    subject = fields.String(load_default="", validate=validate.Length(0, 120))
    days = fields.Integer(required=True, validate=validate.Range(0, 3650, error="0 tot 3650 dagen."))
    is_active = fields.Boolean(load_default=False)
