"""ASGI entry point: Daphne serves HTTP (Django) and the board WebSockets (Channels)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")
# Django must be set up before the routing imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from boards.live.apply_process import start_early  # noqa: E402
from boards.routing import websocket_urlpatterns  # noqa: E402
from journeymap.daphne_tuning import tune  # noqa: E402
from journeymap.heap import freeze_startup_objects  # noqa: E402

tune()
# The apply process starts with the server, not with its first socket (boards.live.apply_process).
start_early()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

freeze_startup_objects()
