"""Real server processes for tests that must cross a process boundary (throttling, single sign-on).

`server_process` starts `manage.py runserver --noreload` on a free loopback port with the given environment
and stops it afterwards; `manage` runs one management command the same way. Each test passes its own
DATABASE_URL, so the processes share a database with each other and with nothing else.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**overrides: str) -> dict[str, str]:
    """The environment of a development server with no .env of the developer's."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update({"MIERUKA_ENV_FILE": "", "MIERUKA_DEV": "1", "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], input: str | None = None) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=input,
                            capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def server_process(*, env: dict[str, str], port: int | None = None, manage_py: str = "manage.py",
                   ready_path: str = "/login/"):
    """A runserver process on 127.0.0.1; yields its base URL once it answers."""
    port = port or free_port()
    log = open(Path(env.get("MIERUKA_SERVER_LOG_DIR", "/tmp")) / f"mieruka-test-server-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, manage_py, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server on port {port} exited: {Path(log.name).read_text()}")
            try:
                urllib.request.urlopen(url + ready_path, timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers, even if not with 200
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server on port {port} did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
