"""The workshop's default agenda: the phases of a journey-mapping workshop."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from workshops.wire import AgendaStepData

DEFAULT_STEPS = (
    (_("Warm-up and icebreaker"), 10, _("Introduce yourselves and say what you expect.")),
    (_("Goals and objectives"), 10, _("Agree on the goal of this journey map.")),
    (_("Personas"), 20, _("Describe who walks this journey.")),
    (_("Mapping the touchpoints"), 30, _("Add the touchpoints of each stage.")),
    (_("Walking the journey"), 20, _("Walk the journey as the persona to test it.")),
    (_("Iterating"), 20, _("Fix what the walk-through showed.")),
    (_("Insights and next steps"), 15, _("Vote on the pain points and agree on actions.")),
)


def default_agenda(language: str) -> list[AgendaStepData]:
    """The default steps in the board's language (a French board gets French steps)."""
    with translation.override(language):
        return [
            {"title": str(title), "minutes": minutes, "instructions": str(instructions)}
            for title, minutes, instructions in DEFAULT_STEPS
        ]
