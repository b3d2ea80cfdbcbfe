"""Settings for the test suite: the real settings module, plus what only tests want."""

import os

# Tests never run with a real secret; production refuses to start without one.
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from journeymap.env import env_bool
from journeymap.settings import *  # noqa: F403

# Tests open connections in threads and in Daphne subprocesses; kept open, they would hold the
# test database when it is dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Hashing passwords properly is slow on purpose; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests serve static files straight from the source folders (no collectstatic step), for the
# pages rendered by the test client and for the Daphne processes the browser tests start.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The consumers under test run in this process, inside each test's transaction, where a
# separate apply process could not see the test's rows: they apply ops in a thread. The Daphne
# processes the tests start set LIVE_APPLY_PROCESS=true, as production runs by default.
LIVE_APPLY_PROCESS = env_bool("LIVE_APPLY_PROCESS", False)
