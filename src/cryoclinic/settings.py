"""cryoclinic settings: one module, configured from the environment, safe local defaults.

Environment:
  DEBUG            "1"/"0" (default "1": local use). With DEBUG off the deployment checks pass.
  SECRET_KEY       required when DEBUG is off.
  DATABASE_URL     default: SQLite file under var/ (e.g. postgres://user@127.0.0.1:5432/db).
  ALLOWED_HOSTS    comma-separated (default: localhost names when DEBUG, nothing otherwise).
  CSRF_TRUSTED_ORIGINS, EMAIL_URL-like EMAIL_HOST/EMAIL_PORT, DEFAULT_FROM_EMAIL, TIME_ZONE.
  PRIVATE_MEDIA_ROOT (photos, default var/private), WOUND_CARE_FOLLOWUP_DAYS (default "1,7,14").
  FHIR_BASE_URL    the FHIR export's namespace: a URL the clinic controls (default https://cryoclinic.example/fhir).
  Operations (the block at the end): REDIS_URL (also the cache), CACHE_TIMEOUT_S, TASK_*, OUTBOX_CLAIM_S, S3_*,
  BACKUP_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CRYOCLINIC_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false), not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", "1")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-for-local-use-never-in-production-5f2a9c"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "allauth",
    "allauth.account",
    "ninja",
    "cryoclinic.clinics",
    "cryoclinic.accounts",
    "cryoclinic.knowledge",
    "cryoclinic.clients",
    "cryoclinic.scheduling",
    "cryoclinic.screening",
    "cryoclinic.notifications",
    "cryoclinic.nitrogen",
    "cryoclinic.ops",
    "cryoclinic.directory",
    "cryoclinic.treatments",
    "cryoclinic.guidance",
    "cryoclinic.reports",
    "cryoclinic.booking",
    "cryoclinic.payments",
    "cryoclinic.api",
    "django_q",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cryoclinic.clinics.middleware.ClinicMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cryoclinic.accounts.idle.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cryoclinic.api.middleware.ApiErrorShapeMiddleware",
    "cryoclinic.api.middleware.RefuseNulCharactersMiddleware",
]

ROOT_URLCONF = "cryoclinic.urls"
WSGI_APPLICATION = "cryoclinic.wsgi.application"

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
                "cryoclinic.accounts.context.roles",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cryoclinic.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN: booking writes are serialized.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "cryoclinic.accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): five failures lock the username+IP pair for fifteen minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Clients' own accounts (django-allauth): sign up with an email, a mobile phone, or both; each is proved before the
# account signs in: the email by its confirmation link (accounts/adapter.py makes that mandatory for anyone with an
# email), the phone by a code sent through SMS_BACKEND. Codes expire, are single-use and allow three tries.
# Sign-in by password stays on the site's login page (username, or a proved email or phone: accounts/backends.py).
ACCOUNT_ADAPTER = "cryoclinic.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "cryoclinic.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email", "phone", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}  # typed from an SMS on a phone
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "cryoclinic: "
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# allauth warns that no sign-in method is a required sign-up field: by design either an email or a phone is
# (accounts/forms.py requires one of the two).
SILENCED_SYSTEM_CHECKS = ["account.W001"]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Health data (before/after photos, rendered documents): PRIVATE_MEDIA_ROOT, or S3 (below).
    "private": {"BACKEND": "cryoclinic.treatments.models.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Health data (before/after photos) outside MEDIA_ROOT: served only by an access-checked view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# The clinic's own choice, not the source's (which says only "care for the wound until it heals"):
# days after neoplasm removal on which staff check the wound.
WOUND_CARE_FOLLOWUP_DAYS = [int(d) for d in env_list("WOUND_CARE_FOLLOWUP_DAYS", "1,7,14")]
# YooKassa's API (each clinic's own shop): tests and development point it at `manage.py fake_yookassa`.
YOOKASSA_API_URL = os.environ.get("YOOKASSA_API_URL", "https://api.yookassa.ru/v3")
# 1: refuse notifications from outside YooKassa's published IP ranges (off behind a proxy that hides them; the
# payment is re-fetched from the API in any case).
YOOKASSA_CHECK_IP = os.environ.get("YOOKASSA_CHECK_IP", "0") == "1"
# PostgreSQL: the role production connects as (not a superuser: superusers bypass row-level security). After each
# migrate it is granted the tables; clinics/rls.py creates it (NOLOGIN) where the migrating user may.
CRYOCLINIC_DB_APP_ROLE = os.environ.get("CRYOCLINIC_DB_APP_ROLE", "cryoclinic_app")
# Code systems, identifier systems and the seed of the stable urn:uuid fullUrls of the FHIR export.
FHIR_BASE_URL = os.environ.get("FHIR_BASE_URL", "https://cryoclinic.example/fhir").rstrip("/")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# Without a timeout a stalled mail server would hold an outbox claim forever (OUTBOX_CLAIM_S must exceed it).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cryoclinic@localhost")
# SMS: "cryoclinic.notifications.sms.SmsRuBackend" with SMS_RU_API_ID, or your own class with send().
CLINIC_ALERT_EMAIL = os.environ.get("CLINIC_ALERT_EMAIL", "")  # where stock alerts go; default DEFAULT_FROM_EMAIL
SMS_BACKEND = os.environ.get("SMS_BACKEND", "cryoclinic.notifications.sms.NotConfigured")
SMS_RU_API_ID = os.environ.get("SMS_RU_API_ID", "")
SMS_RU_URL = os.environ.get("SMS_RU_URL", "https://sms.ru/sms/send")

SESSION_COOKIE_HTTPONLY = True
# Staff who can read health records are signed out after this long without a request (accounts/idle.py).
STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
# Content-Security-Policy on every response (django-csp): scripts, styles and everything else from this site
# only; no inline script or style anywhere (templates keep them in static files), no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Operations: background work, shared media, backups -------------------------------------------------
# Background work runs on django-q2 (README, "Background work"). Its broker is the database itself by default
# (the ORM broker: nothing else to install, works on SQLite); with REDIS_URL it is Redis. Either way every
# worker on every machine that shares the database (and Redis) takes tasks from the same queue.
REDIS_URL = os.environ.get("REDIS_URL", "")
TASK_TIMEOUT_S = int(os.environ.get("TASK_TIMEOUT_S", "600"))
Q_CLUSTER: dict[str, object] = {
    "name": os.environ.get("TASK_QUEUE", "cryoclinic"),
    "workers": int(os.environ.get("TASK_WORKERS", "2")),
    "timeout": TASK_TIMEOUT_S,
    # A task taken but not acknowledged (its worker died) is offered again after this long (ORM broker).
    "retry": int(os.environ.get("TASK_RETRY_S", str(TASK_TIMEOUT_S + 60))),
    "max_attempts": 5,
    "ack_failures": True,  # a task that raised is recorded as failed, not re-run: the schedules re-run the jobs
    "catch_up": False,  # after downtime a periodic job runs once, not once per missed interval
    "scheduler": env_bool("TASK_SCHEDULER", "1"),
    "save_limit": 500,
    "label": "Background tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1.0  # seconds between looks at an empty queue table
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cryoclinic"}}
# How long a cached public answer (the directory, the knowledge base: `cryoclinic.caching`) may be served. A write
# invalidates it at once where the cache is shared (Redis); local memory is each process's own, so there another
# process (a second web worker, a command, the task worker) may serve the old answer for up to this long.
CACHE_TIMEOUT_S = int(os.environ.get("CACHE_TIMEOUT_S", "86400" if REDIS_URL else "60"))
# How long a worker holds an outbox message it is sending; after that another worker may take it over.
OUTBOX_CLAIM_S = int(os.environ.get("OUTBOX_CLAIM_S", "300"))

# Media on S3-compatible object storage (django-storages), shared by every web server and worker; local
# disk when S3_BUCKET is unset. Private files never get public URLs: the access-checked views stream them.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "media"}}
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "private"}}

# Backups are encrypted (health data, 152-FZ): one or more keys, comma-separated; the first encrypts,
# any of them decrypts (rotation). `manage.py backup --new-key` prints a new one.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
