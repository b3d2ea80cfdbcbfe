"""What every API view shares: who is calling, how a request body becomes op arguments, how an
applied op is answered, and the error responses the schema documents."""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.plumbing import resolve_type_hint
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.api.errors import ErrorData, board_not_found
from boards.models import Role
from boards.ops import AppliedOp, OpError, apply_op
from boards.permissions import Actor, role_on_board
from boards.protocol import ActorData


class OpResultData(TypedDict):
    """The answer to every write: the op's place in the board's log and the object after it."""

    seq: int
    id: str
    op: str
    actor: ActorData
    result: dict[str, Any]
    duplicate: bool


class BoardAPIView(APIView):
    # Token first: a script without credentials then gets 401 with `WWW-Authenticate: Token`
    # rather than a bare 403. Browsers authenticate by session, with CSRF enforced by DRF.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    # JSON for every client, browsers included: errors keep one shape (docs: /api/docs/).
    renderer_classes = [JSONRenderer]

    def actor(self) -> Actor:
        return Actor.for_user(self.request.user)

    def role_or_404(self, board_id: uuid.UUID) -> Role:
        """The caller's role on a board they read; outsiders get the not-found answer."""
        role = role_on_board(board_id, self.actor())
        if role is None:
            raise board_not_found()
        return role

    def run_op(
        self,
        board_id: uuid.UUID | str,
        name: str,
        args: dict[str, Any],
        *,
        client_op_id: str | None = None,
        created: bool = False,
    ) -> Response:
        """Apply one op and answer with it. `Idempotency-Key` makes any write safe to retry."""
        applied = apply_op(
            board_id=board_id,
            actor=self.actor(),
            name=name,
            args=args,
            client_op_id=client_op_id or self.request.headers.get("Idempotency-Key"),
        )
        return Response(
            op_result(applied), status=201 if created and not applied.duplicate else 200
        )


def op_result(applied: AppliedOp) -> OpResultData:
    return {
        "seq": applied.seq,
        "id": applied.client_op_id,
        "op": applied.name,
        "actor": applied.actor,
        "result": applied.result,
        "duplicate": applied.duplicate,
    }


def body_object(request: Request) -> dict[str, Any]:
    """The JSON object a write sends; anything else is refused before it reaches the op."""
    data = request.data
    if isinstance(data, QueryDict) and not data:
        return {}
    if not isinstance(data, dict):
        raise OpError("bad_message", _("The request body must be a JSON object."))
    return dict(data)


def schema_of(hint: Any) -> dict[str, Any]:
    """A wire TypedDict as an OpenAPI schema, so the docs show the dicts the code sends."""
    return resolve_type_hint(hint)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    descriptions = {
        400: "invalid / bad_message: the input was refused; `details` names the fields.",
        401: "unauthenticated: no valid session or token.",
        403: "forbidden: your role on this board does not allow it.",
        404: "not_found: no such board or object, or not shared with you.",
        409: "conflict: `if_version` is behind; `current` is the object now.",
        413: "too_large: the upload is too big.",
        429: "rate_limited: too many requests; retry later.",
    }
    return {
        code: OpenApiResponse(response=schema_of(ErrorData), description=descriptions[code])
        for code in codes
    }


OP_RESULT = schema_of(OpResultData)
WRITE_ERRORS = error_responses(400, 401, 403, 404)
READ_ERRORS = error_responses(401, 404)
