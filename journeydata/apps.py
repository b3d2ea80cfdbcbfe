from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneydataConfig(AppConfig):
    name = "journeydata"
    verbose_name = _("Journey data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The boards op catalogue is one registry; importing our handlers adds metric.* to it.
        from journeydata import ops  # noqa: F401
