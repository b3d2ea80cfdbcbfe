"""Writes of sharing. Each checks that the actor may manage the board's sharing (owner or
facilitator), locks the rows it changes, and closes the sockets of whoever lost access once the
change is committed.

A share link's guests hold the link's role only while the link works; members hold theirs until
a manager changes or removes it. Nobody can grant more than their own role, and the owner's
membership is not managed here.
"""

from __future__ import annotations

import datetime
import smtplib
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.live.access import participant_color
from boards.live.control import disconnect_participant
from boards.models import Board, Card, Guest, Invitation, Membership, Role, ShareLink
from boards.ops import OpError
from boards.permissions import Actor, role_on_board
from boards.sharing.emails import invitation_email_send
from boards.sharing.selectors import invitation_problem
from boards.sharing.tokens import token_hash, token_new
from boards.wire import guest_participant_id, user_participant_id

LINK_ROLES = (Role.EDITOR, Role.COMMENTER, Role.VIEWER)


def board_not_found() -> OpError:
    return OpError("not_found", _("This board does not exist or is not shared with you."))


def manager_role(*, board_id: uuid.UUID | str, actor: Actor) -> Role:
    """The actor's role when it lets them manage sharing; outsiders get the not-found answer."""
    role = role_on_board(board_id, actor)
    if role is None:
        raise board_not_found()
    if actor.user_id is None or not role.includes(Role.FACILITATOR):
        raise OpError("forbidden", _("Only the board's owner and facilitators can manage sharing."))
    return role


def grantable_roles(role: Role) -> list[Role]:
    """The roles a manager with `role` may give: up to their own, never ownership."""
    return [r for r in reversed(Role) if r != Role.OWNER and role.includes(r)]


def _check_grantable(manager: Role, role: str, allowed: tuple[Role, ...] | list[Role]) -> Role:
    if role not in allowed or not manager.includes(Role(role)):
        raise OpError("invalid", _("You cannot give this role."), details={"role": [_("Invalid.")]})
    return Role(role)


def _disconnect_on_commit(board_id: uuid.UUID | str, participant_ids: list[str]) -> None:
    def disconnect() -> None:
        for participant_id in participant_ids:
            disconnect_participant(board_id, participant_id)

    transaction.on_commit(disconnect)


def _cut_off(board_id: uuid.UUID | str, guests: list[Guest]) -> list[str]:
    """Participant ids of these guests, and of their users who no longer have any role."""
    ids = [guest_participant_id(guest.id) for guest in guests]
    for user_id in {guest.user_id for guest in guests if guest.user_id is not None}:
        if role_on_board(board_id, Actor(user_id=user_id, guest_id=None, name="")) is None:
            ids.append(user_participant_id(user_id))
    return ids


# --- Share links and guests -----------------------------------------------------------------


def share_link_create(
    *,
    board_id: uuid.UUID | str,
    actor: Actor,
    role: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ShareLink, str]:
    """A new link and its token: the token is returned once and never stored."""
    manager = manager_role(board_id=board_id, actor=actor)
    link_role = _check_grantable(manager, role, LINK_ROLES)
    if expires_at is not None and expires_at <= timezone.now():
        raise OpError(
            "invalid",
            _("The expiry must be in the future."),
            details={"expires_at": [_("The expiry must be in the future.")]},
        )
    token = token_new()
    link = ShareLink.objects.create(
        board_id=board_id,
        role=link_role,
        token_hash=token_hash(token),
        created_by_id=actor.user_id,
        expires_at=expires_at,
    )
    return link, token


def share_link_revoke(*, board_id: uuid.UUID | str, actor: Actor, link_id: uuid.UUID) -> None:
    """Revoke the link; everyone who joined by it is disconnected at once."""
    manager_role(board_id=board_id, actor=actor)
    with transaction.atomic():
        link = ShareLink.objects.select_for_update().filter(board_id=board_id, pk=link_id).first()
        if link is None:
            raise OpError("not_found", _("This share link does not exist."))
        if link.revoked_at is not None:
            return
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        _disconnect_on_commit(board_id, _cut_off(board_id, list(link.guests.all())))


def guest_join(
    *, link: ShareLink, display_name: str, user: AbstractBaseUser | None = None
) -> Guest:
    """A participant joining by link: a guest with a display name and a colour. A signed-in
    user joins as themselves: the guest row only carries the link's role to them."""
    guest_id = uuid.uuid4()
    return Guest.objects.create(
        id=guest_id,
        board_id=link.board_id,
        share_link=link,
        display_name=display_name,
        color=participant_color(guest_id),
        user=user,
    )


def guests_claim(*, user: AbstractBaseUser, guest_ids: list[uuid.UUID]) -> int:
    """A guest who signs up (or logs in) keeps what they did: their guests become the user's,
    so the links' roles stay with them and their cards are authored by the account. The op
    log keeps the guest as the actor of what the guest did."""
    with transaction.atomic():
        guests = Guest.objects.select_for_update().filter(id__in=guest_ids, user=None)
        claimed = [guest.id for guest in guests]
        Guest.objects.filter(id__in=claimed).update(user=user)
        Card.objects.filter(author_guest_id__in=claimed, author=None).update(author=user)
    return len(claimed)


def guest_remove(*, board_id: uuid.UUID | str, actor: Actor, guest_id: uuid.UUID) -> None:
    manager_role(board_id=board_id, actor=actor)
    with transaction.atomic():
        guest = Guest.objects.select_for_update().filter(board_id=board_id, pk=guest_id).first()
        if guest is None or guest.removed_at is not None:
            raise OpError("not_found", _("This guest is not on the board."))
        guest.removed_at = timezone.now()
        guest.save(update_fields=["removed_at"])
        _disconnect_on_commit(board_id, _cut_off(board_id, [guest]))


# --- Invitations ----------------------------------------------------------------------------


def invitation_create(
    *, board_id: uuid.UUID | str, actor: Actor, email: str, role: str, language: str | None = None
) -> Invitation:
    """Invite someone by email, in `language` (by default the board's: the workshop's own).
    The email is sent before the invitation is committed: when the mail server refuses it,
    nothing is recorded and the inviter is told."""
    manager = manager_role(board_id=board_id, actor=actor)
    invited_role = _check_grantable(manager, role, grantable_roles(manager))
    board = Board.objects.get(pk=board_id)
    language = language or board.language
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise OpError(
            "invalid",
            _("Some fields are not valid."),
            details={"language": [_("Choose English or French.")]},
        )
    if Membership.objects.filter(board_id=board_id, user__email__iexact=email).exists():
        raise OpError(
            "invalid",
            _("This person is already a member of the board."),
            details={"email": [_("This person is already a member of the board.")]},
        )
    token = token_new()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            board=board,
            email=email,
            role=invited_role,
            language=language,
            token_hash=token_hash(token),
            invited_by_id=actor.user_id,
            expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        try:
            invitation_email_send(invitation=invitation, token=token, inviter_name=actor.name)
        except (smtplib.SMTPException, OSError) as error:
            raise OpError(
                "invalid",
                _("The invitation email could not be sent. Check the address or try again later."),
                details={"email": [str(error)]},
            ) from error
    return invitation


def invitation_revoke(*, board_id: uuid.UUID | str, actor: Actor, invitation_id: uuid.UUID) -> None:
    manager_role(board_id=board_id, actor=actor)
    updated = Invitation.objects.filter(
        board_id=board_id, pk=invitation_id, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    if not updated:
        raise OpError("not_found", _("This invitation is not pending."))


def invitation_accept(*, token: str, user: AbstractBaseUser) -> Invitation:
    """Make the user a member with the invited role (never lowering a role they have)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
        )
        if invitation is None:
            raise OpError("not_found", _("This invitation does not exist."))
        if invitation.accepted_by_id == user.pk:
            return invitation
        problem = invitation_problem(invitation)
        if problem is not None:
            raise OpError("forbidden", problem)
        membership = (
            Membership.objects.select_for_update()
            .filter(board_id=invitation.board_id, user=user)
            .first()
        )
        if membership is None:
            Membership.objects.create(board_id=invitation.board_id, user=user, role=invitation.role)
        elif not Role(membership.role).includes(Role(invitation.role)):
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


# --- Members --------------------------------------------------------------------------------


def _managed_membership(
    board_id: uuid.UUID | str, actor: Actor, user_id: int
) -> tuple[Role, Membership]:
    manager = manager_role(board_id=board_id, actor=actor)
    membership = (
        Membership.objects.select_for_update()
        .filter(board_id=board_id, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise OpError("not_found", _("This person is not a member of the board."))
    if membership.role == Role.OWNER:
        raise OpError("forbidden", _("The owner's membership cannot be changed."))
    if membership.user_id == actor.user_id:
        raise OpError("forbidden", _("You cannot change your own membership."))
    if not manager.includes(Role(membership.role)):
        raise OpError("forbidden", _("You cannot manage a member whose role is above yours."))
    return manager, membership


def membership_change_role(
    *, board_id: uuid.UUID | str, actor: Actor, user_id: int, role: str
) -> Membership:
    """Change a member's role. Every later op is checked against the new role."""
    with transaction.atomic():
        manager, membership = _managed_membership(board_id, actor, user_id)
        membership.role = _check_grantable(manager, role, grantable_roles(manager))
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, board_id: uuid.UUID | str, actor: Actor, user_id: int) -> None:
    """Remove a member, and the link access they had through guests: their sockets close."""
    with transaction.atomic():
        _manager, membership = _managed_membership(board_id, actor, user_id)
        membership.delete()
        guests = list(Guest.objects.filter(board_id=board_id, user_id=user_id, removed_at=None))
        Guest.objects.filter(pk__in=[guest.pk for guest in guests]).update(
            removed_at=timezone.now()
        )
        _disconnect_on_commit(
            board_id,
            [user_participant_id(user_id), *(guest_participant_id(g.id) for g in guests)],
        )
