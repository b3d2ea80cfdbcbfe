"""The cyclic garbage collector, set for a long-running server process."""

import gc


def freeze_startup_objects() -> None:
    """Call once the process has imported and set up everything it serves with.

    Django, Channels, Twisted and the app's modules live as long as the process: move them out
    of the cyclic collector's reach. Its full passes over them paused the event loop for about
    100 ms at a time under a 200-participant load, the tail of the op latency (make bench).
    The apply process (boards.live.apply_worker) is set the same way.

    What a server creates later is mostly long-lived as well (the sockets' consumers, their
    sessions and frames) and rarely cyclic garbage: full collections, triggered every 10 middle
    ones by default, scanned it for 40-100 ms at a time at 1,000 connections and freed nothing.
    One in 100 keeps them out of a typical run (wide-1000: 4 full passes in a minute -> none).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(700, 10, 100)
