"""Ops on the map's structure and people: stages (columns), lanes (rows) and personas."""

from __future__ import annotations

from django.core.validators import RegexValidator
from rest_framework import serializers

from boards.models import Lane, LaneKind, Persona, Role, Stage
from boards.ops import fields
from boards.ops.common import CreateArgs, UpdateArgs, register_ordered_object_ops
from boards.ops.limits import LONG_TEXT_MAX_CHARS, NAME_MAX_CHARS, TITLE_MAX_CHARS
from boards.wire import lane_data, persona_data, stage_data


def _title(*, required: bool) -> fields.TextField:
    return fields.TextField(required=required, max_length=TITLE_MAX_CHARS)


def _long_text() -> fields.TextField:
    return fields.TextField(required=False, allow_blank=True, max_length=LONG_TEXT_MAX_CHARS)


class StageCreateArgs(CreateArgs):
    title = _title(required=True)
    description = _long_text()


class StageUpdateArgs(UpdateArgs):
    title = _title(required=False)
    description = _long_text()


class LaneCreateArgs(CreateArgs):
    kind = fields.ChoiceField(choices=LaneKind.choices)
    title = _title(required=True)


class LaneUpdateArgs(UpdateArgs):
    kind = fields.ChoiceField(required=False, choices=LaneKind.choices)
    title = _title(required=False)


class PersonaFields(serializers.Serializer):
    role = fields.TextField(required=False, allow_blank=True, max_length=TITLE_MAX_CHARS)
    demographics = _long_text()
    goals = _long_text()
    needs = _long_text()
    frustrations = _long_text()
    behaviours = _long_text()
    quote = _long_text()
    # The storage name of an image uploaded through the REST avatar endpoint.
    avatar = fields.TextField(
        required=False,
        allow_blank=True,
        max_length=200,
        validators=[RegexValidator(r"^avatars/[\w./-]+$")],
    )


class PersonaCreateArgs(CreateArgs, PersonaFields):
    name = fields.TextField(max_length=NAME_MAX_CHARS)


class PersonaUpdateArgs(UpdateArgs, PersonaFields):
    name = fields.TextField(required=False, max_length=NAME_MAX_CHARS)


register_ordered_object_ops(
    "stage",
    model=Stage,
    to_data=stage_data,
    create_args=StageCreateArgs,
    update_args=StageUpdateArgs,
    min_role=Role.EDITOR,
)
register_ordered_object_ops(
    "lane",
    model=Lane,
    to_data=lane_data,
    create_args=LaneCreateArgs,
    update_args=LaneUpdateArgs,
    min_role=Role.EDITOR,
)
register_ordered_object_ops(
    "persona",
    model=Persona,
    to_data=persona_data,
    create_args=PersonaCreateArgs,
    update_args=PersonaUpdateArgs,
    min_role=Role.EDITOR,
)
