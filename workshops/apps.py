from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the workshop ops, the facilitator locks and the private-content rules
        # in the boards write path (boards.ops.hooks, boards.visibility).
        from workshops import ops, rules  # noqa: F401
