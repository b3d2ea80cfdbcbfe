"""Load benchmark for the live layer: many WebSocket participants on one board, measured
against a bare `websockets` broadcast server in the same run. `python -m bench --help`."""
