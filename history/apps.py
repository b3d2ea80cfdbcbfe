from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "history"
    verbose_name = _("History")

    def ready(self) -> None:
        # Registers the history ops (version.restore) in the board's one write path.
        from history import ops  # noqa: F401
