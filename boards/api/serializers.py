"""Input of the endpoints that are not a single op, and the request bodies the schema shows.

Op arguments are validated once, by the op's own serializer in the write path; the REST layer
passes bodies through. `request_body` derives what the schema documents from that same
serializer, minus the `id` the URL carries, so the docs cannot drift from the validation.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from boards.models import BoardTemplate, Language, MapType
from boards.ops import REGISTRY
from boards.ops.limits import LONG_TEXT_MAX_CHARS, TITLE_MAX_CHARS


class BoardCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_CHARS, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    goal = serializers.CharField(max_length=LONG_TEXT_MAX_CHARS, required=False, allow_blank=True)
    map_type = serializers.ChoiceField(choices=MapType.choices, required=False)
    template = serializers.SlugRelatedField(
        slug_field="key",
        queryset=BoardTemplate.objects.all(),
        required=False,
        allow_null=True,
        help_text="Key of a board template (GET /api/templates/).",
    )
    copy_of = serializers.UUIDField(
        required=False,
        help_text="Start as the future state of this board (stages, lanes, cards, personas).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "copy_of" not in attrs and not attrs.get("title"):
            raise serializers.ValidationError({"title": [_("A board needs a title.")]})
        return attrs


class OpRequestInput(serializers.Serializer):
    op = serializers.ChoiceField(choices=sorted(REGISTRY), help_text="The op's name.")
    args = serializers.DictField(default=dict, help_text="The op's arguments.")
    id = serializers.UUIDField(
        required=False, help_text="Client op id: sending the same id twice applies it once."
    )


class OpLogQuery(serializers.Serializer):
    since = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=200)


class ArchivedQuery(serializers.Serializer):
    archived = serializers.BooleanField(default=False)


class AvatarUpload(serializers.Serializer):
    avatar = serializers.ImageField(help_text="PNG, JPEG, GIF or WebP image.")


def request_body(op_name: str, component: str) -> type[serializers.Serializer]:
    """The op's argument serializer as a body schema: the same fields, without `id` when the
    object's id is in the URL."""
    args = REGISTRY[op_name].args
    drop = {} if op_name.endswith(".create") else {"id": None}
    return type(component, (args,), drop)
