"""Strict argument fields: DRF's defaults coerce (5 becomes "5", "yes" becomes True), which
would let a buggy client's wrong types through. Ops accept the JSON types they document."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from boards import ordering


class TextField(serializers.CharField):
    default_error_messages = {"not_text": _("Must be a string.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class IntField(serializers.IntegerField):
    default_error_messages = {"not_int": _("Must be a whole number.")}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_int")
        return super().to_internal_value(data)


class BoolField(serializers.BooleanField):
    default_error_messages = {"not_bool": _("Must be true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("not_bool")
        return data


class ChoiceField(serializers.ChoiceField):
    default_error_messages = {"not_text": _("Must be a string.")}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class UUIDField(serializers.UUIDField):
    default_error_messages = {"not_text": _("Must be a string.")}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class PositionField(TextField):
    default_error_messages = {"bad_key": _("This is not a valid ordering key.")}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not ordering.is_valid_position(value):
            self.fail("bad_key")
        return value
