"""Run Mieruka in a separate process, as an operator would, in a folder of its own.

The environment is the test run's minus everything that would make the child a development process or
point it at the test run's database or .env; pass what the test needs as keyword arguments.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_DROPPED = ("MIERUKA_DEV", "DEBUG", "DATABASE_URL", "SECRET_KEY", "MIERUKA_HOME", "MIERUKA_ENV_FILE",
            "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_KEY_PREFIX")


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(overrides)
    return env


def run_python(code: str, *, cwd: Path, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    """`python -c code` with the test run's interpreter (and so the installed package)."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def run_mieruka(*args: str, cwd: Path, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    """The `mieruka` console script, run as `python -m mieruka.cli` so it needs no PATH."""
    return subprocess.run([sys.executable, "-m", "mieruka.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
