"""ASGI entry point: Daphne serves HTTP (Django) and the board WebSockets (Channels)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")
# Django must be set up before the routing imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from boards.routing import websocket_urlpatterns  # noqa: E402
from journeymap.daphne_tuning import tune  # noqa: E402

tune()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Django, Channels, Twisted and the app's modules live as long as the process: move them out
# of the cyclic collector's reach. Its full passes over them paused the event loop for about
# 100 ms at a time under a 200-participant load, the tail of the op latency (make bench).
gc.collect()
gc.freeze()
# What a server creates later is mostly long-lived as well (the sockets' consumers, their
# sessions and frames) and rarely cyclic garbage: full collections, triggered every 10 middle
# ones by default, scanned it for 40-100 ms at a time at 1,000 connections and freed nothing.
# One in 100 keeps them out of a typical run (wide-1000: 4 full passes in a minute -> none).
gc.set_threshold(700, 10, 100)
