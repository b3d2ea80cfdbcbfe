"""The journey-map domain.

Board content (stages, lanes, cards, personas) is written only by `boards.ops.apply_op`: that is
what gives every change a sequence number, an entry in the op log and a live broadcast. Models
hold data and the small facts about it; they never save themselves from signals or `save()`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a participant may do on a board; each role includes the ones below it."""

    VIEWER = "viewer", _("Viewer")
    COMMENTER = "commenter", _("Commenter")
    EDITOR = "editor", _("Editor")
    FACILITATOR = "facilitator", _("Facilitator")
    OWNER = "owner", _("Owner")

    @property
    def rank(self) -> int:
        return ROLE_RANKS[self]

    def includes(self, other: Role) -> bool:
        return ROLE_RANKS[self] >= ROLE_RANKS[other]


ROLE_RANKS: dict[str, int] = {
    Role.VIEWER: 0,
    Role.COMMENTER: 1,
    Role.EDITOR: 2,
    Role.FACILITATOR: 3,
    Role.OWNER: 4,
}


class MapType(models.TextChoices):
    CURRENT_STATE = "current_state", _("Current state")
    FUTURE_STATE = "future_state", _("Future state")
    DAY_IN_THE_LIFE = "day_in_the_life", _("A day in the life")
    SERVICE_BLUEPRINT = "service_blueprint", _("Service blueprint")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class LaneKind(models.TextChoices):
    ACTIONS = "actions", _("Actions")
    THOUGHTS = "thoughts", _("Thoughts")
    EMOTIONS = "emotions", _("Emotions")
    TOUCHPOINTS = "touchpoints", _("Touchpoints")
    NEEDS = "needs", _("Needs")
    PAIN_POINTS = "pain_points", _("Pain points")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    FRONTSTAGE = "frontstage", _("Frontstage")
    BACKSTAGE = "backstage", _("Backstage")
    SUPPORT_PROCESSES = "support_processes", _("Support processes")
    CUSTOM = "custom", _("Custom")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    STORE = "store", _("Store")
    APP = "app", _("App")
    SOCIAL = "social", _("Social media")
    REVIEW_SITE = "review_site", _("Review site")
    OTHER = "other", _("Other")


class TouchpointState(models.TextChoices):
    """Whether a touchpoint was seen in the field or is one the team wants to exist."""

    OBSERVED = "observed", _("Observed")
    DESIRED = "desired", _("Desired")


class CardColor(models.TextChoices):
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")
    PINK = "pink", _("Pink")
    PURPLE = "purple", _("Purple")
    BLUE = "blue", _("Blue")
    TEAL = "teal", _("Teal")
    GREEN = "green", _("Green")
    GREY = "grey", _("Grey")
    WHITE = "white", _("White")


EMOTION_MIN = -2
EMOTION_MAX = 2


class Board(models.Model):
    """One journey map. `seq` is the number of the last op applied to it: the op log is 1..seq."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal and objectives"), blank=True)
    map_type = models.CharField(
        _("map type"), max_length=32, choices=MapType.choices, default=MapType.CURRENT_STATE
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_boards"
    )
    # A future-state board remembers the current-state board it was copied from.
    source_board = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived_boards"
    )
    seq = models.BigIntegerField(default=0, editable=False)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.title


class BoardObject(models.Model):
    """What every piece of board content shares: a client-choosable id, a version bumped by
    each change (for compare-and-set), and a tombstone, so a late update of a deleted object is
    refused instead of resurrecting it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE)
    version = models.PositiveIntegerField(default=1)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# Ordering keys are fractional indexes (base-62 strings compared byte by byte). Databases sort
# text by their collation, which is not byte order on PostgreSQL, so code sorts them in Python
# (`boards.ordering`) rather than with ORDER BY.
POSITION_MAX_LENGTH = 64


class Stage(BoardObject):
    """A column of the map: one step of the customer's journey."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.CharField(max_length=POSITION_MAX_LENGTH)

    class Meta:
        default_related_name = "stages"
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.title


class Lane(BoardObject):
    """A row of the map: what is observed at each stage (actions, emotions, touchpoints...)."""

    kind = models.CharField(_("kind"), max_length=32, choices=LaneKind.choices)
    title = models.CharField(_("title"), max_length=200)
    position = models.CharField(max_length=POSITION_MAX_LENGTH)

    class Meta:
        default_related_name = "lanes"
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")

    def __str__(self) -> str:
        return self.title


class Card(BoardObject):
    """A sticky note in one cell (stage x lane), with the journey attributes its lane gives it."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="cards")
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="cards")
    text = models.TextField(_("text"), blank=True)
    color = models.CharField(
        _("colour"), max_length=16, choices=CardColor.choices, default=CardColor.YELLOW
    )
    position = models.CharField(max_length=POSITION_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_guest = models.ForeignKey(
        "Guest", null=True, blank=True, on_delete=models.SET_NULL, related_name="cards"
    )
    emotion_score = models.SmallIntegerField(_("emotion score"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    brand_controlled = models.BooleanField(_("controlled by the brand"), null=True, blank=True)
    touchpoint_state = models.CharField(
        _("observed or desired"), max_length=16, choices=TouchpointState.choices, blank=True
    )
    moment_of_truth = models.BooleanField(_("moment of truth"), default=False)

    class Meta:
        default_related_name = "cards"
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(emotion_score__isnull=True)
                | models.Q(emotion_score__gte=EMOTION_MIN, emotion_score__lte=EMOTION_MAX),
                name="card_emotion_score_range",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Persona(BoardObject):
    """Who walks the journey: a fictional customer built from research."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role or segment"), max_length=200, blank=True)
    demographics = models.TextField(_("demographics"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    frustrations = models.TextField(_("frustrations"), blank=True)
    behaviours = models.TextField(_("behaviours"), blank=True)
    quote = models.TextField(_("quote"), blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    position = models.CharField(max_length=POSITION_MAX_LENGTH)

    class Meta:
        default_related_name = "personas"
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role on a board. The owner has one too, so access is one lookup."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="membership_once_per_board")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.board} · {self.role}"


class ShareLink(models.Model):
    """A revocable link that lets anyone holding it join a board with a role. Only a hash of
    the token is stored, so a database leak does not leak working links."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="share_links")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return f"{self.board} · {self.role}"


class Guest(models.Model):
    """A workshop participant who joined by share link with only a display name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="guests")
    share_link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="guests")
    display_name = models.CharField(_("display name"), max_length=80)
    color = models.CharField(max_length=16)
    # Set when the guest signs up later, so what they wrote stays theirs.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a facilitator removes the guest: the link may stay valid for everyone else.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self) -> str:
        return self.display_name


class Invitation(models.Model):
    """An invitation by email to become a member with a role. Like share links, only a hash of
    the token is stored; it is accepted once, by whoever signs in with the link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    # The language the email was written in, so the accept page speaks it too.
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.board} · {self.role}"


class Op(models.Model):
    """One applied change, in board order. The log is the board's history: live catch-up, undo,
    audit and time travel all read it. `before` keeps what the change overwrote."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="ops")
    seq = models.BigIntegerField()
    client_op_id = models.UUIDField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_guest = models.ForeignKey(
        Guest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    name = models.CharField(max_length=64)
    args = models.JSONField()
    result = models.JSONField()
    before = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("op")
        verbose_name_plural = _("op log")
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="op_seq_unique_per_board"),
            models.UniqueConstraint(
                fields=["board", "client_op_id"], name="op_client_id_unique_per_board"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board_id}#{self.seq} {self.name}"


class BoardTemplate(models.Model):
    """A ready-made structure (stages and lanes in both languages) a new board can start from.
    The shipped ones are created by a data migration; admins may add their own."""

    key = models.SlugField(unique=True)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120)
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    map_type = models.CharField(max_length=32, choices=MapType.choices)
    # {"stages": [{"en": ..., "fr": ..., "description_en": ..., "description_fr": ...}],
    #  "lanes": [{"kind": ..., "en": ..., "fr": ...}]}
    structure = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("board template")
        verbose_name_plural = _("board templates")

    def __str__(self) -> str:
        return self.name_en

    def name_in(self, language: str) -> str:
        return self.name_fr if language == Language.FRENCH else self.name_en
