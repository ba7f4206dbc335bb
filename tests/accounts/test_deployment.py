import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_describes_the_production_topology(tmp_path):
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose (Debian's package) is not installed: cannot validate the file")
    (tmp_path / ".env").write_text("SECRET_KEY=x\nALLOWED_HOSTS=portail.example.fr\n")
    result = subprocess.run(
        [
            "docker-compose",
            "--project-directory",
            str(tmp_path),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
            "--services",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"db", "redis", "migrate", "web", "worker", "beat"}


def test_every_setting_read_is_listed_in_env_example():
    settings_text = (ROOT / "convention_portal" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_text))
    assert names, "no environment variable found in settings.py"
    listed = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert names <= listed, f"missing from .env.example: {sorted(names - listed)}"


DEV_TOOLS = ("pytest", "playwright", "ruff", "aiosmtpd", "factory-boy", "faker", "time-machine")


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            package, version = line.strip().split("==")
            pins[package.lower()] = version
    return pins


def test_the_production_packages_hold_no_test_tool_and_share_the_test_pins():
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert not [p for p in runtime if p.startswith(DEV_TOOLS)], "test tools in requirements.txt"
    assert {"django", "celery", "weasyprint", "gunicorn", "pypdf"} <= set(runtime)
    assert "python-magic" not in runtime  # declared once, never imported
    # The tests run on exactly the versions production runs.
    assert {p: dev[p] for p in runtime} == runtime
    assert {"pytest", "playwright", "ruff"} <= set(dev)


def test_the_image_is_built_in_stages_from_the_runtime_packages_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2
    assert "-r requirements.txt" in dockerfile
    assert "requirements-dev.txt" not in dockerfile
    assert "collectstatic" in dockerfile
    assert "\nUSER portail" in dockerfile
    assert "\nHEALTHCHECK " in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "tests/"} <= set(ignored)


def test_the_web_worker_collects_garbage_after_each_answer_not_while_building_it():
    """`convention_portal.wsgi` raises the young generation's threshold and collects
    after each response is closed: a page's request no longer stops for collections
    while its objects are alive. One collection of the young generation per request,
    after it; every tenth request, the middle one. In a process of its own."""
    probe = """
import gc, json
import convention_portal.wsgi
from convention_portal import collector
from django.conf import settings
from django.test import Client

settings.ALLOWED_HOSTS = ["testserver"]
client = Client()
client.get("/connexion/login/")  # start-up's lazy loading (URLconf, templates)
seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(info["generation"]))
served = collector._served
for _ in range(collector.MIDDLE_EVERY):
    status = client.get("/connexion/login/").status_code
print(json.dumps([status, gc.get_threshold()[0], collector._served - served, seen]))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "convention_portal.settings_test"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()[-1]
    status, threshold, served, seen = json.loads(out)
    assert status == 200 and threshold == 50_000 and served == 10
    # One collection a request, after its answer: nine young ones and one middle one
    # (the tenth request's). With Python's thresholds, each page collected on its way.
    assert sorted(seen) == [0] * 9 + [1]


def test_the_web_worker_takes_what_start_up_loaded_out_of_the_collector():
    """A worker's full garbage collection walked every object Django and the apps loaded
    (30-40 ms, the pages' slowest percent): `convention_portal.wsgi` freezes them. In a
    process of its own, which the freeze would otherwise outlive."""
    probe = (
        "import gc, convention_portal.wsgi as w; "
        "print(gc.get_freeze_count(), callable(w.application))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "convention_portal.settings_test"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 50_000 and out[1] == "True"
