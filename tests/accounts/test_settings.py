import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


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
        }
    }
    env.update({"DJANGO_SETTINGS_MODULE": "convention_portal.settings", **env_overrides})
    env["CONVENTION_PORTAL_IGNORE_DOTENV"] = "1"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout
