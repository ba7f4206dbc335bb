import shutil
import subprocess
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
