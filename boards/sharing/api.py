"""Sharing over REST, for the owner and facilitators: members, share links, invitations and
guests of a board. Same rules and services as the share page; outsiders get the board's 404,
members who may not manage sharing get 403."""

from __future__ import annotations

import uuid
from typing import TypedDict

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import BoardAPIView, body_object, error_responses, schema_of
from boards.models import Guest, Invitation, Membership, Role, ShareLink
from boards.sharing import selectors, services
from boards.sharing.addresses import share_link_url
from boards.sharing.ratelimits import limit_invitations
from boards.wire import user_participant_id

TAGS = ["sharing"]
CHANGE_ERRORS = error_responses(400, 401, 403, 404)


class MemberData(TypedDict):
    id: str
    user_id: int
    username: str
    email: str
    role: str


class ShareLinkData(TypedDict):
    id: str
    role: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    usable: bool
    guests: int


class NewShareLinkData(ShareLinkData):
    url: str  # shown once: only a hash of its token is stored


class InvitationData(TypedDict):
    id: str
    email: str
    role: str
    language: str
    created_at: str
    expires_at: str


class GuestData(TypedDict):
    id: str
    display_name: str
    color: str
    role: str
    user_id: int | None


def member_data(membership: Membership) -> MemberData:
    return {
        "id": user_participant_id(membership.user_id),
        "user_id": membership.user_id,
        "username": membership.user.get_username(),
        "email": membership.user.email,
        "role": membership.role,
    }


def share_link_data(link: ShareLink) -> ShareLinkData:
    return {
        "id": str(link.id),
        "role": link.role,
        "created_at": link.created_at.isoformat(),
        "expires_at": link.expires_at.isoformat() if link.expires_at else None,
        "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None,
        "usable": selectors.share_link_problem(link) is None,
        "guests": link.guests.count(),
    }


def invitation_data(invitation: Invitation) -> InvitationData:
    return {
        "id": str(invitation.id),
        "email": invitation.email,
        "role": invitation.role,
        "language": invitation.language,
        "created_at": invitation.created_at.isoformat(),
        "expires_at": invitation.expires_at.isoformat(),
    }


def guest_data(guest: Guest) -> GuestData:
    return {
        "id": str(guest.id),
        "display_name": guest.display_name,
        "color": guest.color,
        "role": guest.share_link.role,
        "user_id": guest.user_id,
    }


class RoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class ShareLinkInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in services.LINK_ROLES])
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class InvitationInput(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class SharingAPIView(BoardAPIView):
    def manager(self, board_id: uuid.UUID) -> None:
        services.manager_role(board_id=board_id, actor=self.actor())


class MemberListView(SharingAPIView):
    @extend_schema(
        operation_id="members_list",
        summary="The board's members and their roles",
        responses={200: list[MemberData], **error_responses(401, 403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.manager(board_id)
        return Response([member_data(m) for m in selectors.board_members(board_id)])


class MemberDetailView(SharingAPIView):
    @extend_schema(
        operation_id="members_update",
        summary="Change a member's role",
        request=RoleInput,
        responses={200: schema_of(MemberData), **CHANGE_ERRORS},
        tags=TAGS,
    )
    def patch(self, request: Request, board_id: uuid.UUID, user_id: int) -> Response:
        form = RoleInput(data=body_object(request))
        form.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            board_id=board_id, actor=self.actor(), user_id=user_id, role=form.validated_data["role"]
        )
        return Response(member_data(membership))

    @extend_schema(
        operation_id="members_destroy",
        summary="Remove a member; their open sockets close at once",
        responses={204: None, **CHANGE_ERRORS},
        tags=TAGS,
    )
    def delete(self, request: Request, board_id: uuid.UUID, user_id: int) -> Response:
        services.membership_remove(board_id=board_id, actor=self.actor(), user_id=user_id)
        return Response(status=204)


class ShareLinkListView(SharingAPIView):
    @extend_schema(
        operation_id="share_links_list",
        summary="The board's share links (their tokens are not stored, so not shown)",
        responses={200: list[ShareLinkData], **error_responses(401, 403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.manager(board_id)
        return Response([share_link_data(link) for link in selectors.board_share_links(board_id)])

    @extend_schema(
        operation_id="share_links_create",
        summary="Create a share link; the answer carries its URL, shown this once",
        request=ShareLinkInput,
        responses={201: schema_of(NewShareLinkData), **CHANGE_ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        form = ShareLinkInput(data=body_object(request))
        form.is_valid(raise_exception=True)
        link, token = services.share_link_create(
            board_id=board_id,
            actor=self.actor(),
            role=form.validated_data["role"],
            expires_at=form.validated_data.get("expires_at"),
        )
        return Response({**share_link_data(link), "url": share_link_url(token)}, status=201)


class ShareLinkDetailView(SharingAPIView):
    @extend_schema(
        operation_id="share_links_revoke",
        summary="Revoke a share link; its guests' sockets close at once",
        responses={204: None, **CHANGE_ERRORS},
        tags=TAGS,
    )
    def delete(self, request: Request, board_id: uuid.UUID, link_id: uuid.UUID) -> Response:
        services.share_link_revoke(board_id=board_id, actor=self.actor(), link_id=link_id)
        return Response(status=204)


class InvitationListView(SharingAPIView):
    @extend_schema(
        operation_id="invitations_list",
        summary="Pending invitations",
        responses={200: list[InvitationData], **error_responses(401, 403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.manager(board_id)
        pending = selectors.board_pending_invitations(board_id)
        return Response([invitation_data(invitation) for invitation in pending])

    @extend_schema(
        operation_id="invitations_create",
        summary="Invite someone by email with a role; the email is in `language`, by default "
        "the board's (rate-limited per user)",
        request=InvitationInput,
        responses={201: schema_of(InvitationData), **CHANGE_ERRORS, **error_responses(429)},
        tags=TAGS,
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        form = InvitationInput(data=body_object(request))
        form.is_valid(raise_exception=True)
        self.manager(board_id)
        limit_invitations(request, user_id=request.user.pk)
        data = form.validated_data
        invitation = services.invitation_create(
            board_id=board_id,
            actor=self.actor(),
            email=data["email"],
            role=data["role"],
            language=data.get("language"),
        )
        return Response(invitation_data(invitation), status=201)


class InvitationDetailView(SharingAPIView):
    @extend_schema(
        operation_id="invitations_revoke",
        summary="Withdraw a pending invitation",
        responses={204: None, **CHANGE_ERRORS},
        tags=TAGS,
    )
    def delete(self, request: Request, board_id: uuid.UUID, invitation_id: uuid.UUID) -> Response:
        services.invitation_revoke(
            board_id=board_id, actor=self.actor(), invitation_id=invitation_id
        )
        return Response(status=204)


class GuestListView(SharingAPIView):
    @extend_schema(
        operation_id="guests_list",
        summary="Guests who joined by a link that still works",
        responses={200: list[GuestData], **error_responses(401, 403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.manager(board_id)
        return Response([guest_data(guest) for guest in selectors.board_guests(board_id)])


class GuestDetailView(SharingAPIView):
    @extend_schema(
        operation_id="guests_destroy",
        summary="Remove a guest; their sockets close at once",
        responses={204: None, **CHANGE_ERRORS},
        tags=TAGS,
    )
    def delete(self, request: Request, board_id: uuid.UUID, guest_id: uuid.UUID) -> Response:
        services.guest_remove(board_id=board_id, actor=self.actor(), guest_id=guest_id)
        return Response(status=204)
