"""The live layer: board WebSockets, the per-process board hub, fan-out across processes
through Redis, presence and per-connection limits. docs/protocol.md is its contract."""

from boards.live.bus import add_op_listener


def _to_hub(ops):  # type: ignore[no-untyped-def]
    # Imported on first use: the hub imports the write path, which imports this package.
    from boards.live.hub import on_ops_applied

    on_ops_applied(ops)


# Installed when the write path is imported (it imports boards.live.bus), so every process
# that applies ops publishes them, including processes without any socket.
add_op_listener(_to_hub)
