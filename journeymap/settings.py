"""Journeymap settings: everything that differs between deployments comes from the environment.

With nothing set, the project runs on its embedded defaults: a SQLite file in the project, the
in-memory channel layer (one process), and the console email backend. `.env.example` documents
every variable read here.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from journeymap.env import env_bool, env_int, env_list, env_rate, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example)")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "accounts",
    "boards",
    "journeydata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Daphne serves the app alone in the embedded setup, so static files come from here too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "journeymap.urls"
ASGI_APPLICATION = "journeymap.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default. IMMEDIATE transactions take the write lock at BEGIN, so two
# writers queue instead of one failing with "database is locked" half-way through an op; WAL
# lets readers (snapshots) run beside the writer.
SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "journeymap.sqlite3")))
_database_url = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
# Connections are kept between requests: the live layer applies each op in its own short unit
# of work, and opening a connection per op cost it a tenth of its CPU (make bench, profiled).
_conn_max_age = env_int("DB_CONN_MAX_AGE", 60)
# On PostgreSQL the write path runs its statements by name, planned once per connection
# (boards/prepared.py). Off behind a pooler that moves transactions between server connections.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
if _database_url:
    _database = dj_database_url.parse(
        _database_url, conn_max_age=_conn_max_age, conn_health_checks=True
    )
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SQLITE_PATH,
        "CONN_MAX_AGE": _conn_max_age,
        "CONN_HEALTH_CHECKS": True,
    }
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file, not memory: threads, Daphne subprocesses and browsers must see the
    # same database, and SQLite's shared-cache memory mode has no busy timeout.
    _database.setdefault("TEST", {})["NAME"] = env_str(
        "SQLITE_TEST_PATH", str(BASE_DIR / ".test-journeymap.sqlite3")
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer and live fan-out ---------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "journeymap.channel_layer.WaitingRedisChannelLayer",
            "CONFIG": {
                # Longer than the layer's 5 s blocking pops: redis-py 8's default socket
                # timeout (5 s) would cut them off (channels_redis#422).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "socket_keepalive": True}],
                # The layer carries control messages only (close a member's sockets, ...);
                # board ops travel on the per-board pub/sub channels of boards.live. A small
                # burst of control messages must never be dropped, hence more than the default
                # 100, and a short group expiry because a dead process leaves its group entries.
                "capacity": env_int("CHANNEL_LAYER_CAPACITY", 1000, minimum=1),
                "expiry": 60,
                "group_expiry": 3600,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# A participant of a process that died without closing its sockets leaves the board's
# presence after this many seconds (processes refresh their participants every third of it).
LIVE_PRESENCE_TTL = env_int("LIVE_PRESENCE_TTL", 15, minimum=1)
# Each server process applies its sockets' ops in a process of its own, beside it
# (boards.live.apply_worker): the socket loop and the write path then do not share one
# interpreter lock. Off: a database thread of the server process applies them.
LIVE_APPLY_PROCESS = env_bool("LIVE_APPLY_PROCESS", True)

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Journeymap <journeymap@localhost>")

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in ("en", "fr"):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be 'en' or 'fr', got {LANGUAGE_CODE!r}")
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Avatars are small; anything larger is refused before it reaches the disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "boards.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Journeymap API",
    "DESCRIPTION": "Boards, stages, lanes, cards and personas of customer journey maps. "
    "Every write goes through the board's op log and reaches live participants at once.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Lanes and KPIs both have a `kind`; each choice set keeps its own name.
    "ENUM_NAME_OVERRIDES": {
        "LaneKindEnum": "boards.models.LaneKind",
        "MetricKindEnum": "journeydata.models.MetricKind",
    },
}

# --- Security (production values are switched on by DEBUG=false) ----------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Two weeks by default; a shared workstation may want hours (SESSION_COOKIE_AGE=28800).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
# Set both to the parent domain only when several subdomains must share the login.
SESSION_COOKIE_DOMAIN = env_str("SESSION_COOKIE_DOMAIN") or None
CSRF_COOKIE_DOMAIN = env_str("CSRF_COOKIE_DOMAIN") or None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", default=False) else None
)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Daphne/autobahn log every frame at DEBUG; formatting them costs real CPU on the hot path.
        "daphne": {"level": "WARNING"},
        "autobahn": {"level": "WARNING"},
    },
}

# --- REST API: self-hosted docs and the avatar limit ----------------------------------------
# Swagger UI's assets come from drf-spectacular-sidecar, so /api/docs/ works with no CDN.
INSTALLED_APPS += ["drf_spectacular_sidecar"]
SPECTACULAR_SETTINGS |= {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

# --- Sharing and rate limits ----------------------------------------------------------------
INSTALLED_APPS += ["django_ratelimit"]
# Turns django-ratelimit's refusals (the log-in form) into a 429 page.
MIDDLEWARE += ["django_ratelimit.middleware.RatelimitMiddleware"]
RATELIMIT_VIEW = "boards.sharing.views.rate_limited"
# Counters live in the cache: Redis when processes share a board, else this process's memory,
# which is exact because the in-memory channel layer already means a single process.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "journeymap",
            "OPTIONS": {"socket_timeout": 5},
        }
    }
    # Django's own Redis cache increments atomically; the library only lists django-redis.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# django-ratelimit's "N/s|m|h|d". Log-in is limited per address and per username.
RATELIMIT_LOGIN = env_rate("RATELIMIT_LOGIN", "10/m")
RATELIMIT_INVITATIONS = env_rate("RATELIMIT_INVITATIONS", "30/h")
RATELIMIT_LINK_JOINS = env_rate("RATELIMIT_LINK_JOINS", "20/m")
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14, minimum=1)
# Share links offer a subset of the roles; name both enums in the API schema.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {"RoleEnum": "boards.models.Role", "ShareLinkRoleEnum": ["editor", "commenter", "viewer"]}
)

# --- History: versions, time travel, restore, activity log ------------------------------------
INSTALLED_APPS += ["history"]

# --- Workshops: agenda, timer, dot voting, private writing, facilitator locks ------------------
INSTALLED_APPS += ["workshops"]
