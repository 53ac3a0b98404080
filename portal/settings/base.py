"""Settings shared by every profile. Values come from the environment (see portal/env.py)."""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import database_from_url, env_bool, env_int, env_list, env_str, redis_ssl_options

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# The public address certificates' QR codes point to.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "units",
    "assessments",
    "ratings",
    "linkage",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.RequestBodyLimitMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle/absolute session limits, second factor owed, password change owed (in that order).
    "portal.sign_in_guard.SessionLimitsMiddleware",
    "portal.sign_in_guard.TwoFactorMiddleware",
    "portal.sign_in_guard.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.access.DenyByDefaultMiddleware",
    "portal.replica.PublicReadsFromReplicaMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "portal.signin_audit.AuditDownloadsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "public.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/integrity")
    )
}
# Optional streaming replica for anonymous public reads (portal/replica.py).
if replica_url := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **database_from_url(replica_url),
        "ATOMIC_REQUESTS": False,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["portal.replica.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# 等保 level 3 (portal/passwords.py): ten characters or more, three of four character classes,
# none of the last five passwords, changed every 90 days.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "portal.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "portal.passwords.PasswordHistoryValidator"},
]
PASSWORD_MAX_AGE_DAYS = env_int("PORTAL_PASSWORD_MAX_AGE_DAYS", 90)
PASSWORD_HISTORY_COUNT = env_int("PORTAL_PASSWORD_HISTORY_COUNT", 5)

# Second factor (portal/two_factor.py): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env_str("PORTAL_TOTP_ISSUER", "安全生产诚信联动平台")
# Codes are accepted one 30-second step either side of now, and the window never moves: a
# learnt drift would let a code generated early keep the window shifted for good.
OTP_TOTP_SYNC = False

# Sessions (portal/sessions.py): signed out after 30 idle minutes and after 12 hours in any
# case; the page warns two minutes before the idle timeout.
SESSION_IDLE_TIMEOUT = env_int("PORTAL_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_LIMIT = env_int("PORTAL_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_IDLE_WARNING = env_int("PORTAL_SESSION_WARNING_SECONDS", 120)
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIMIT
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling: five failures per user name and address lock for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Sign-in attempts per client address, whatever the usernames (portal/views/accounts.py).
LOGIN_RATE_PER_ADDRESS = env_str("PORTAL_LOGIN_RATE_PER_ADDRESS", "60/10m")
# Password reset e-mails per client address and per address typed in; wrong current passwords
# on the change form per account before it locks (portal/views/password.py).
PASSWORD_RESET_RATE_PER_ADDRESS = env_str("PORTAL_PASSWORD_RESET_RATE_PER_ADDRESS", "20/h")
PASSWORD_RESET_RATE = env_str("PORTAL_PASSWORD_RESET_RATE", "3/h")
PASSWORD_CHANGE_FAILURE_RATE = env_str("PORTAL_PASSWORD_CHANGE_FAILURE_RATE", "5/30m")
# Registration attempts per client address (units/views/registry.py).
REGISTRATION_RATE_PER_ADDRESS = env_str("PORTAL_REGISTRATION_RATE_PER_ADDRESS", "20/h")
# The departments' query API (linkage/views/api.py): calls per client address (tokens or not)
# and per token.
QUERY_API_RATE_PER_ADDRESS = env_str("PORTAL_QUERY_API_RATE_PER_ADDRESS", "300/m")
QUERY_API_RATE_PER_TOKEN = env_str("PORTAL_QUERY_API_RATE_PER_TOKEN", "600/m")
# Webhooks go to public addresses only; an intranet names its internal ranges here, e.g.
# "10.20.0.0/16,fd00:1::/64" (linkage/egress.py).
WEBHOOK_ALLOWED_NETWORKS = env_list("LINKAGE_WEBHOOK_ALLOWED_NETWORKS", "")
# Anonymous self-assessment POSTs (an expired session) kept for after sign-in, per address.
STASH_RATE = env_str("PORTAL_STASH_RATE", "20/h")
# Behind a reverse proxy the client's address is in a header the proxy sets (e.g.
# HTTP_X_REAL_IP); every throttle must read it, or all visitors share the proxy's address.
CLIENT_IP_HEADER = env_str("DJANGO_CLIENT_IP_HEADER", "REMOTE_ADDR")
RATELIMIT_IP_META_KEY = CLIENT_IP_HEADER
AXES_IPWARE_META_PRECEDENCE_ORDER = (CLIENT_IP_HEADER,)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded evidence is never served from MEDIA_URL: views stream it after an access check.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Whole request bodies (portal/middleware.py), refused with 413 before they are read: signed-in
# users upload evidence (10 MB a file, several files in one save); visitors never upload.
MAX_REQUEST_BYTES = env_int("PORTAL_MAX_REQUEST_BYTES", 60 * 1024 * 1024)
MAX_ANONYMOUS_REQUEST_BYTES = env_int("PORTAL_MAX_ANONYMOUS_REQUEST_BYTES", 6 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "noreply@aqsc.xinzheng.gov.cn")

# rediss://host:6380/0?ssl_cert_reqs=required&ssl_ca_certs=/run/secrets/redis-ca.pem for TLS
# (docs/operations-setup.md); the cache reads the options from the URL, the broker from below.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_USE_SSL = redis_ssl_options(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING below (one key=value line per event), like the web processes.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Publishing must not hang when Redis is down: the outbox sweep delivers later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
# Enterprises are reminded once of each cycle deadline (pledge, application) this many days
# before it (assessments.services.reminders; the beat task runs daily and is idempotent).
DEADLINE_REMIND_DAYS_BEFORE = env_int("DEADLINE_REMIND_DAYS_BEFORE", 7)
# Due process (ratings.services.objections), counted in working days (portal.working_days):
# the enterprise may object to an adverse proposed result until the N-th working day after its
# notice (告知书), and an objection is decided within M working days of being filed.
OBJECTION_PERIOD_WORKING_DAYS = env_int("OBJECTION_PERIOD_WORKING_DAYS", 5)
OBJECTION_DECISION_WORKING_DAYS = env_int("OBJECTION_DECISION_WORKING_DAYS", 10)
CELERY_BEAT_SCHEDULE = {
    "deadline-reminders": {
        "task": "assessments.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Due at 00:05; repeated hourly (idempotent) so a broker outage at midnight delays a
    # scheduled publication by an hour, not a day.
    "publish-scheduled-results": {
        "task": "ratings.tasks.publish_due",
        "schedule": crontab(minute=5),
    },
    # Audit entries that no commit hook sealed (bulk writes by workers, a crash in between).
    "seal-audit-log": {"task": "portal.tasks.seal_audit_log", "schedule": 60.0},
    # E-mail copies of notifications written while Redis was down.
    "sweep-email-copies": {"task": "portal.tasks.sweep_email_copies", "schedule": 300.0},
    # Certificate jobs started while Redis was down.
    "queue-waiting-certificate-jobs": {
        "task": "ratings.tasks.queue_waiting_certificate_jobs",
        "schedule": 60.0,
    },
    # The outbox sweep: re-queues notices and webhooks the broker lost or never received.
    "linkage-sweep-deliveries": {
        "task": "linkage.tasks.sweep_deliveries",
        "schedule": float(env_int("LINKAGE_SWEEP_SECONDS", 60)),
    },
    "linkage-ack-reminders": {
        "task": "linkage.tasks.send_ack_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "linkage-hazard-reminders": {
        "task": "linkage.tasks.send_hazard_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "linkage-two-years-without-star": {
        "task": "linkage.tasks.detect_two_years_without_star",
        "schedule": crontab(hour=2, minute=0),
    },
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
RATELIMIT_USE_CACHE = "default"
# How long the public pages keep what they read (public/cache.py); 0 turns it off.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
# Public data read from a replica is cached this long at most (portal/replica.py).
PUBLIC_CACHE_REPLICA_SECONDS = env_int("PUBLIC_CACHE_REPLICA_SECONDS", 10)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False

# Uploads: what the platform accepts as evidence (checked by content, see assessments/uploads.py).
EVIDENCE_MAX_FILE_BYTES = env_int("EVIDENCE_MAX_FILE_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_APPLICATION_BYTES = env_int("EVIDENCE_MAX_APPLICATION_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024)

# Re-rating after rectification (docs/decisions/0104): a no-star or three-star unit may ask
# once per cycle, no sooner than this many calendar months after its result was published.
# Three months is the national credit-repair rules' shortest display of a general listing, so
# re-rating never ends a key-monitoring listing sooner than repair could.
RERATING_WAIT_MONTHS = env_int("RERATING_WAIT_MONTHS", 3)

# The bureau's electronic seal (PAdES, ratings/seal.py): PEM key and certificate paths. Without
# them, development generates a demo pair into .local/keys/; production refuses to sign.
SEAL_KEY_FILE = env_str("SEAL_KEY_FILE", "")
SEAL_CERT_FILE = env_str("SEAL_CERT_FILE", "")
SEAL_KEY_PASSPHRASE = env_str("SEAL_KEY_PASSPHRASE", "")
SEAL_ALLOW_DEMO_KEY = env_bool("SEAL_ALLOW_DEMO_KEY", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

PORTAL_NAME = _("安全生产诚信联动平台")
BUREAU_NAME = _("新郑市安全生产监督管理局")

# Audit trail (django-auditlog): every change to the models that matter, with actor and diff.
# Entries and application transitions are append-only, enforced by database triggers
# (portal/migrations/0003_append_only_triggers.py).
# Fernet keys for personal data at rest (portal/encryption.py), newest first. This fixed key is
# for development and tests only; production requires its own (production.py).
FIELD_ENCRYPTION_KEYS_DEV = ["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1hLXNlY3JldCE="]
FIELD_ENCRYPTION_KEYS = env_list(
    "DJANGO_FIELD_ENCRYPTION_KEYS", ",".join(FIELD_ENCRYPTION_KEYS_DEV)
)

# 等保 level 3 keeps audit records at least 180 days; purge_audit_log refuses anything younger
# and a database trigger refuses deletes younger than 180 days whatever this says.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (GB/T 22239-2019).")

# Phone numbers and contact names are masked in the log (139****5678, 王**), never kept in clear.
AUDITLOG_MASK_CALLABLE = "portal.personal_data.mask_for_log"
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "portal.User",
        "exclude_fields": ["password", "last_login"],
        "mask_fields": ["phone"],
    },
    # The name's search bigrams are derived from the name, which is logged.
    {
        "model": "units.Unit",
        "exclude_fields": ["name_bigrams"],
        "mask_fields": ["contact_name", "contact_phone"],
    },
    "units.Department",
    "assessments.ScoringStandard",
    "assessments.StandardItem",
    "assessments.VetoItem",
    "assessments.Cycle",
    "assessments.Pledge",
    "assessments.Application",
    "assessments.SelfScore",
    "assessments.Evidence",
    {"model": "assessments.Expert", "mask_fields": ["phone"]},
    "assessments.ConflictOfInterest",
    "assessments.Assignment",
    "assessments.ExpertScore",
    "assessments.VetoFinding",
    "assessments.ServiceRating",
    "ratings.PublicityBatch",
    # Commenters' contact details and tracking codes stay out of the permanent log.
    {
        "model": "ratings.Comment",
        "exclude_fields": ["contact_name", "contact_phone", "tracking_code_hash"],
    },
    "ratings.GradeChange",
    "ratings.Rerating",
    "ratings.Submission",
    "ratings.SubmissionItem",
    "ratings.Publication",
    "ratings.Rating",
    "ratings.RatingReply",
    # Whoever holds a verification code can open the certificate's page; the log is read by
    # people who need no such code. The file's name is the code too.
    {"model": "ratings.Certificate", "exclude_fields": ["verification_code", "pdf"]},
)

# The government site footer (GB/T 37048-style identification): set per deployment.
SITE_HOTLINE = env_str("PORTAL_SITE_HOTLINE", "0371-62699999")
SITE_ADDRESS = env_str("PORTAL_SITE_ADDRESS", "新郑市人民路 市民服务中心")
# Empty: the footer shows the standard hours in the reader's language.
SITE_OFFICE_HOURS = env_str("PORTAL_SITE_OFFICE_HOURS", "")
SITE_IDENTIFIER = env_str("PORTAL_SITE_IDENTIFIER", "4101840001")  # 网站标识码
SITE_ICP_NUMBER = env_str("PORTAL_SITE_ICP_NUMBER", "豫ICP备00000000号")  # ICP 备案号
