"""Start real `emm-learn serve` processes for tests, and talk to them like a browser without JS."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

EMM_LEARN = str(Path(sys.executable).with_name("emm-learn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One `emm-learn serve` process; its console output is kept in .output."""

    def __init__(self, instance: Path, env: dict | None = None, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        environment.update({"EMM_INSTANCE_PATH": str(instance), **(env or {})})
        self.log = instance / "serve.log"
        instance.mkdir(parents=True, exist_ok=True)
        self.log_file = open(self.log, "w")
        self.process = subprocess.Popen(
            [EMM_LEARN, "serve", "--port", str(self.port), "--threads", "4"],
            stdout=self.log_file, stderr=subprocess.STDOUT, env=environment)
        try:
            self.wait_until_ready()
        except RuntimeError:
            self.stop()
            raise

    @property
    def output(self) -> str:
        return self.log.read_text()

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.output}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server not ready:\n{self.output}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A cookie-keeping HTTP client that can be pointed at any of several servers."""

    CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies),
                                                  NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=15) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def get(self, url: str):
        return self.request(url)

    def post_form(self, page_url: str, action_url: str, fields: dict):
        """GET the page for its CSRF token, then POST the form, as a browser would."""
        _, html, _ = self.get(page_url)
        token = self.CSRF.search(html)
        assert token, f"no form on {page_url}"
        return self.request(action_url, {**fields, "csrf_token": token[1]})
