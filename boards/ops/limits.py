"""Size limits of what users type, enforced by the op arguments and documented in
docs/protocol.md. Generous for real workshops, small enough that one frame stays cheap."""

TITLE_MAX_CHARS = 200
CARD_TEXT_MAX_CHARS = 5_000
LONG_TEXT_MAX_CHARS = 10_000
NAME_MAX_CHARS = 120
