"""Settings of the Convention Portal, all read from the environment.

One reader (django-environ). The embedded default needs nothing: SQLite and Celery
tasks run in-process. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY
and ALLOWED_HOSTS (see .env.example and the README's table).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .observability import init_error_tracker, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Tests never read a developer's .env (settings_test sets this before importing us).
if os.environ.get("CONVENTION_PORTAL_IGNORE_DOTENV") != "1" and (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DEBUG=true for a development run."
        )
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The portal's address, for links in emails sent by background jobs.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The legal pages linked from every page's footer (accounts/views/legal.py): who
# publishes the portal (the partnership, not the State), who hosts it, whom to write to.
LEGAL_PUBLISHER = env.str(
    "LEGAL_PUBLISHER",
    default="Partenariat de la convention du 7 juin 2006 : CNML, AFRC, "
    "Mission locale de Marseille, CEPL",
)
LEGAL_PUBLICATION_DIRECTOR = env.str(
    "LEGAL_PUBLICATION_DIRECTOR", default="Le président du comité de pilotage des signataires"
)
LEGAL_HOST = env.str("LEGAL_HOST", default="")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="")

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "accounts",
    "candidates",
    "offers",
    "immersion",
    "committees",
    "reporting",
    "youthspace",
    "auditlog",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "convention_portal.observability.RequestContextMiddleware",
    "audit.middleware.AuditTrailMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    # A young person's session reaches their own space only (youthspace/middleware.py).
    "youthspace.middleware.YouthSpaceOnlyMiddleware",
]
# A DEBUG run shows Django's technical error pages unless told otherwise: the demo run
# (`make run`) shows the portal's own, as its users would see them.
DEBUG_ERROR_PAGES = env.bool("DEBUG_ERROR_PAGES", default=True)
if DEBUG and not DEBUG_ERROR_PAGES:
    MIDDLEWARE.append("accounts.middleware.PortalErrorPagesMiddleware")

ROOT_URLCONF = "convention_portal.urls"
WSGI_APPLICATION = "convention_portal.wsgi.application"
ASGI_APPLICATION = "convention_portal.asgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
    # Plain text (email subjects and bodies): nothing to escape, so an apostrophe in a
    # session's title stays an apostrophe instead of "&#x27;". HTML stays escaped above.
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a gunicorn sync worker keeps its one connection between
# requests instead of opening one per request (a TCP and authentication round trip,
# about a floor page's time). 60 s outside DEBUG; 0 closes after each request. A
# connection is checked before reuse, so a restarted database costs one error-free
# reconnect. Past the server's max_connections, PgBouncer (docs/operations.md).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0
# Prepared statements on PostgreSQL: psycopg sends each query's values apart from its
# text (server-side binding) and prepares a statement run `DATABASE_PREPARE_THRESHOLD`
# times on the connection, so PostgreSQL plans it once per connection rather than on
# every request (the youth page's own query: 0.7-1 ms of planning for 0.3 ms of run).
# With persistent connections each worker keeps its statements. false: behind a
# PgBouncer in transaction mode older than 1.21, which cannot follow prepared
# statements (docs/operations.md).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
DATABASE_PREPARE_THRESHOLD = env.int("DATABASE_PREPARE_THRESHOLD", default=5)


def _prepared_statements(database: dict) -> None:
    if database["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARED_STATEMENTS:
        options = database.setdefault("OPTIONS", {})
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", DATABASE_PREPARE_THRESHOLD)


_prepared_statements(DATABASES["default"])
# The access log's INSERT (one on every opening of a youth's file) is committed without
# waiting for PostgreSQL's disk flush of the WAL (`synchronous_commit = off` for that
# one transaction): a reading no longer waits 1 to 3 ms for the disk. What it risks:
# a crash of the database server (not of the portal) loses the entries of its last
# ~0.6 s, never a part of one and never another table's write. true: every entry
# waits for the disk (docs/candidates.md, "Access log").
ACCESS_LOG_DURABLE_COMMIT = env.bool("ACCESS_LOG_DURABLE_COMMIT", default=False)
# A read replica for the figures (dashboards, digest, annual review): see db_router.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_HEALTH_CHECKS"]
    _prepared_statements(DATABASES["replica"])
    # Tests run against the one test database: the replica mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["convention_portal.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The audit trail (docs/audit.md): django-auditlog writing into our own entry model
# (path, youth, organisation), values kept as text, no copy of the whole row, no IP.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_DISABLE_REMOTE_ADDR = True
# django-auditlog's own migrations create its default entry table even when another
# model replaces it; without them the replaced (swapped) model gets no table at all.
MIGRATION_MODULES = {"auditlog": None}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email as login, verified email, no open sign-up (invitations only).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Repeated wrong passwords slow the attacker down: 5 failures per account in 15 min,
# 10 a minute per address; then a French message asks to wait.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/15m/key",
    # The public company access request form: 5 an hour from one client, 3 a day for
    # one address (the address's owner may be emailed: nobody is flooded through it).
    "company_access_request": "5/h/ip,3/d/key",
    # The youth's "send me a sign-in link": 3 per address in 15 minutes, 10 an hour
    # from one client (nobody's mailbox is flooded, no address is probed in bulk).
    "youth_sign_in_link": "10/h/ip,3/15m/key",
}
# The youth's one-time sign-in link (django-sesame, youthspace/): 15 minutes, once (the
# token includes the last login, which the sign-in changes). Youths have no password
# and no second factor: the link, sent to their mailbox, is the possession factor
# (docs/security.md). Their session lasts 30 days at most (youthspace.views.sign_in).
SESAME_MAX_AGE = 15 * 60
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "t"  # noqa: S105 - the query parameter's name, not a secret
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Portail Convention] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Confirming an account action asks for the password or the second factor, never a
# code sent by email (that would let whoever reads the mailbox in).
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Portail Convention"
# One secret from the first display of the set-up page to the activation (see the form).
MFA_FORMS = {"activate_totp": "accounts.forms.StableSecretActivateTOTPForm"}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap served by the portal itself, from its Python package (no CDN: intranets).
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded documents and generated PDFs: outside static and any public path, served
# only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# Large uploads go to a temporary file that keeps at most 10 MB of each (accounts/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "accounts.uploads.CappedTemporaryFileUploadHandler",
]

# Every form's fields go through accounts.form_helpers.PortalBoundField (format hints).
FORM_RENDERER = "accounts.form_helpers.PortalFormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email transport: EMAIL_URL (smtp://user:pass@host:587/?tls=True); console by default.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds of silence after which a connection to the relay gives up (connect, greeting,
# each command): a relay that accepts and never answers raises instead of holding a
# worker and the email's row forever. The refusal is then retried like any other.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=20.0)
if not EMAIL_TIMEOUT > 0:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be a number of seconds above 0 (default 20).")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Portail Convention <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis: the Celery broker and result backend, and the shared cache (rate limits).
REDIS_URL = env.str("REDIS_URL", default="")


def _next_redis_database(url: str) -> str:
    """The same Redis server, next database: clearing the cache (FLUSHDB) must never
    wipe the Celery queues."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{database + 1}"))


def _redis_database(url: str) -> int:
    return int(urlsplit(url).path.strip("/") or 0)


if REDIS_URL and _redis_database(REDIS_URL) > 14 and not env.str("CACHE_REDIS_URL", default=""):
    raise ImproperlyConfigured(
        f"REDIS_URL uses database {_redis_database(REDIS_URL)}: the cache goes on the next "
        "database and Redis has 0 to 15 only. Use a lower database or set CACHE_REDIS_URL."
    )
CACHE_REDIS_URL = env.str(
    "CACHE_REDIS_URL", default=_next_redis_database(REDIS_URL) if REDIS_URL else ""
)
# CACHE_URL (django-environ's form, e.g. dbcache://portal_cache) overrides the above.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
elif CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The sign-in's lock-out, the rate limits of the public forms and the dashboards' figures
# live in the cache: a cache of each process's own counts failures per process (with
# 2 gunicorn workers an attacker got twice the tries). Outside DEBUG, only a cache that
# every process shares is accepted.
_PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if not DEBUG and CACHES["default"]["BACKEND"] in _PROCESS_LOCAL_CACHES:
    raise ImproperlyConfigured(
        "No shared cache is configured: sign-in lock-outs and rate limits would be counted "
        "by each process on its own. Set REDIS_URL (or CACHE_REDIS_URL), or "
        "CACHE_URL=dbcache://portal_cache after `manage.py createcachetable`."
    )

# Behind reverse proxies the client's address is the last-but-N entry of
# X-Forwarded-For: N is the number of proxies of this deployment (0: none, the header
# is ignored, since anybody can send it). The sign-in's per-address lock-out and the
# public forms' rate limits read the address this way.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker the embedded default runs tasks in-process, as they are queued.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The beat schedule: each app adds its periodic jobs here.
CELERY_BEAT_SCHEDULE = {
    "accounts-expire-invitations": {
        "task": "accounts.tasks.expire_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
    # Art. 18: quarterly meetings; a committee silent for a quarter gets a reminder.
    "committees-remind-quarterly-meeting": {
        "task": "committees.tasks.remind_committees_without_meeting",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    # Two days before a session: advisors of the people enrolled, and the host's list.
    "immersion-session-reminders": {
        "task": "immersion.tasks.remind_upcoming_sessions",
        "schedule": crontab(hour=7, minute=0),
    },
    # Offers past their closing date expire and their recruiters are told (safe twice).
    "offers-expire-past-closing-date": {
        "task": "offers.tasks.expire_offers_past_closing_date",
        "schedule": crontab(hour=2, minute=30),
    },
    "committees-overdue-action-digest": {
        "task": "committees.tasks.send_overdue_action_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    # Art. 18: the monthly indicator digest, the 1st of each month at 07:00 Europe/Paris.
    "reporting-monthly-digest": {
        "task": "reporting.tasks.send_monthly_digest",
        "schedule": crontab(day_of_month="1", hour=7, minute=0),
    },
    "reporting-requeue-stale-reviews": {
        "task": "reporting.tasks.requeue_stale_reviews",
        "schedule": crontab(minute="*/10"),
    },
    # Retention (docs/rgpd.md): notices, anonymisation of files 24 months inactive,
    # import rows, refusals, access log, mentors. Safe twice.
    "candidates-apply-retention-rules": {
        "task": "candidates.tasks.apply_retention_rules",
        "schedule": crontab(hour=4, minute=10),
    },
    # The youths' counts the dashboards read: a day's deltas folded (safe twice).
    "candidates-fold-youth-counts": {
        "task": "candidates.tasks.fold_youth_counts",
        "schedule": crontab(hour=4, minute=40),
    },
    # The pathway events' counts the dashboards read: a day's deltas folded (safe twice).
    "candidates-fold-pathway-counts": {
        "task": "candidates.tasks.fold_pathway_counts",
        "schedule": crontab(hour=4, minute=42),
    },
    # The offers' figures the dashboards read: a day's deltas folded (safe twice).
    "offers-fold-offer-counts": {
        "task": "offers.tasks.fold_offer_counts",
        "schedule": crontab(hour=4, minute=44),
    },
    # The matching suggestions' pool stamps: a row per change folded into one (safe twice).
    "candidates-fold-pool-stamps": {
        "task": "candidates.tasks.fold_stamps",
        "schedule": crontab(hour=4, minute=45),
    },
    "reporting-warm-national-dashboard": {
        "task": "reporting.tasks.warm_national_dashboard",
        "schedule": crontab(minute="*/4"),
    },
}

# Strict Content Security Policy: no inline script, no inline style attribute needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Sessions live in the database, which every web server shares; `cached_db` reads them
# from the shared cache first and writes through to the database (docs/operations.md,
# "Redis for the shared cache and sessions"). A cache-only or cookie engine is refused:
# the first loses every session when the cache is cleared, the second cannot be revoked
# when an account is deactivated.
SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
if SESSION_ENGINE not in SESSION_ENGINES:
    raise ImproperlyConfigured(
        f"SESSION_ENGINE={SESSION_ENGINE!r} is not supported: use one of "
        + ", ".join(sorted(SESSION_ENGINES))
        + "."
    )
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# The health endpoint is probed over plain HTTP inside the deployment network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Logs: JSON lines outside DEBUG (LOG_FORMAT=text to read them raw), with the request
# id, the user id and the task id, never personal data (convention_portal/observability).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = logging_config(
    json_lines=LOG_FORMAT == "json", level=env.str("LOG_LEVEL", default="INFO")
)

# An error tracker, switched on by its DSN (Sentry or a compatible service).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_error_tracker(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
