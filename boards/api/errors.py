"""Every API error has one JSON shape: {"code", "message", "details"?, "current"?}.

The codes are the live protocol's (`boards.protocol.ErrorCode`), so a script and the board
page handle refusals alike, plus two that only HTTP has: `unauthenticated` and
`method_not_allowed`. Messages are in the request's language (LocaleMiddleware): OpErrors are
translated where they are raised, DRF's own messages by DRF's catalogues.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from boards.ops import OpError
from boards.ops.registry import error_details


class ErrorData(TypedDict):
    code: str
    message: str
    details: NotRequired[dict[str, list[str]]]
    current: NotRequired[dict[str, Any]]


OP_ERROR_STATUS: dict[str, int] = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "bad_message": status.HTTP_400_BAD_REQUEST,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_found": status.HTTP_404_NOT_FOUND,
    "conflict": status.HTTP_409_CONFLICT,
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
}

# DRF's exception codes, renamed to ours where the meaning is the same.
DRF_CODES: dict[str, str] = {
    "parse_error": "bad_message",
    "unsupported_media_type": "bad_message",
    "not_acceptable": "bad_message",
    "permission_denied": "forbidden",
    "throttled": "rate_limited",
    "not_authenticated": "unauthenticated",
    "authentication_failed": "unauthenticated",
}


def board_not_found() -> OpError:
    """The one answer for a board that does not exist and for one the caller may not see, so
    an outsider cannot probe which ids exist. Same words as the write path's refusal."""
    return OpError("not_found", _("This board does not exist or is not shared with you."))


def op_error_response(error: OpError) -> Response:
    body: ErrorData = {"code": error.code, "message": error.message}
    if error.details is not None:
        body["details"] = error.details
    if error.current is not None:
        body["current"] = error.current
    return Response(body, status=OP_ERROR_STATUS[error.code])


def _drf_error_response(exc: exceptions.APIException) -> Response:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:.0f}"
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body: ErrorData = {
            "code": "invalid",
            "message": _("Some fields are not valid."),
            "details": error_details(detail),
        }
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = {"code": DRF_CODES.get(code, code), "message": str(exc.detail)}
    return Response(body, status=exc.status_code, headers=headers)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's hook: turn every refusal into the shared error shape. Anything else is a bug and
    stays a 500 (returning None lets Django report it)."""
    if isinstance(exc, OpError):
        set_rollback()
        return op_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"code": "too_large", "message": _("The request is too large.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        set_rollback()
        return _drf_error_response(exc)
    return None
