from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = _("Journey maps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from boards import ops  # noqa: F401  (registers every op in the catalogue)
