import os

from django.conf import settings

from tests.helpers import run_manage


def _run_manage(*args, env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "CACHE_URL",
            "CACHE_REDIS_URL",
            "TRUSTED_PROXY_COUNT",
            "SENTRY_DSN",
            "LOG_FORMAT",
            "DATABASE_REPLICA_URL",
            "SESSION_ENGINE",
        }
    }
    env.update({"DJANGO_SETTINGS_MODULE": "convention_portal.settings", **env_overrides})
    env["CONVENTION_PORTAL_IGNORE_DOTENV"] = "1"
    return run_manage(*args, env=env)


def test_french_first_in_paris():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


def test_embedded_default_is_sqlite_and_in_process_tasks():
    result = _run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        env_overrides={"DEBUG": "true"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "memory://"]


def test_redis_url_makes_tasks_go_to_the_broker():
    result = _run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['LOCATION'])",
        env_overrides={"DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/3"},
    )
    assert result.returncode == 0, result.stderr
    # The cache lives in the next database: clearing it never wipes the queues.
    assert result.stdout.split() == [
        "False",
        "redis://127.0.0.1:6379/3",
        "redis://127.0.0.1:6379/4",
    ]


def test_missing_secret_key_stops_start_up_outside_debug():
    result = _run_manage("check", env_overrides={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_with_production_settings_prints_no_warning():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "false",
            "SECRET_KEY": "k7#Qz!p2@Lw9$Vn4^Rt6&Ym8*Bx3(Hc5)Jd1_Fg0-Se2+Ua4=Oi6",
            "ALLOWED_HOSTS": "portail.example.fr",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qz!p2@Lw9$Vn4^Rt6&Ym8*Bx3(Hc5)Jd1_Fg0-Se2+Ua4=Oi6",
    "ALLOWED_HOSTS": "portail.example.fr",
}
_SHOW_CACHE = (
    "shell",
    "-v",
    "0",
    "-c",
    "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])",
)


def test_no_shared_cache_stops_start_up_outside_debug():
    """With a cache per process, each gunicorn worker counted sign-in failures on its
    own: with 2 workers the lock came at the 10th try instead of the 5th."""
    result = _run_manage(*_SHOW_CACHE, env_overrides=_PRODUCTION)
    assert result.returncode != 0
    assert "No shared cache is configured" in result.stderr
    local = _run_manage(*_SHOW_CACHE, env_overrides={**_PRODUCTION, "CACHE_URL": "locmemcache://"})
    assert local.returncode != 0
    assert "No shared cache is configured" in local.stderr


def test_redis_or_the_database_cache_are_shared_caches():
    redis_run = _run_manage(
        *_SHOW_CACHE, env_overrides={**_PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    assert redis_run.stdout.split() == ["django.core.cache.backends.redis.RedisCache"]
    db_run = _run_manage(
        *_SHOW_CACHE, env_overrides={**_PRODUCTION, "CACHE_URL": "dbcache://portal_cache"}
    )
    assert db_run.stdout.split() == ["django.core.cache.backends.db.DatabaseCache"]
    # The embedded default (DEBUG) keeps its in-process cache: one process, no Redis.
    debug_run = _run_manage(*_SHOW_CACHE, env_overrides={"DEBUG": "true"})
    assert debug_run.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"]


def test_a_broker_on_the_last_redis_database_leaves_no_room_for_the_cache():
    result = _run_manage(
        *_SHOW_CACHE, env_overrides={**_PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/15"}
    )
    assert result.returncode != 0
    assert "Redis has 0 to 15 only" in result.stderr


def test_the_number_of_trusted_proxies_is_a_setting():
    result = _run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        env_overrides={"DEBUG": "true", "TRUSTED_PROXY_COUNT": "1"},
    )
    assert result.stdout.split() == ["1"]


def test_sessions_may_be_read_from_the_shared_cache_but_never_live_only_there():
    show = (
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_ENGINE)",
    )
    default = _run_manage(*show, env_overrides={"DEBUG": "true"})
    assert default.stdout.split() == ["django.contrib.sessions.backends.db"]
    cached = "django.contrib.sessions.backends.cached_db"
    run = _run_manage(*show, env_overrides={"DEBUG": "true", "SESSION_ENGINE": cached})
    assert run.stdout.split() == [cached]
    for engine in (
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.signed_cookies",
    ):
        refused = _run_manage(*show, env_overrides={"DEBUG": "true", "SESSION_ENGINE": engine})
        assert refused.returncode != 0
        assert f"SESSION_ENGINE={engine!r} is not supported" in refused.stderr


def test_the_error_tracker_is_switched_on_by_its_dsn_and_sends_nothing_personal():
    result = _run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "import sentry_sdk; o = sentry_sdk.get_client().options; "
        "print(o['dsn'], o['send_default_pii'], o['max_request_body_size'], "
        "o['include_local_variables'])",
        env_overrides={"DEBUG": "true", "SENTRY_DSN": "https://cle@erreurs.example.fr/7"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://cle@erreurs.example.fr/7", "False", "never", "False"]
    off = _run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "import sentry_sdk; print(sentry_sdk.get_client().is_active())",
        env_overrides={"DEBUG": "true"},
    )
    assert off.stdout.split() == ["False"]


def test_logs_are_json_outside_debug_and_text_under_it():
    show = (
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(sorted(s.LOGGING['formatters']['portal']))",
    )
    production = _run_manage(
        *show, env_overrides={**_PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    assert "'()'" in production.stdout, production.stderr
    debug = _run_manage(*show, env_overrides={"DEBUG": "true"})
    assert debug.stdout.strip() == "['format']"
