"""WebSocket routes of the boards app."""

from django.urls import URLPattern, path

from boards.consumers import BoardConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/boards/<uuid:board_id>/", BoardConsumer.as_asgi()),
]
