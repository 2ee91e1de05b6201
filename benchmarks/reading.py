"""Reading benchmark: starts `emm-learn serve` and measures it with wrk on loopback.

Measures, in one run: the framework ceiling (/healthz), the anonymous and the signed-in chapter
page at 10 and 50 connections (requests/s, p50/p99 latency, errors), the first view's requests and
bytes, cold start with every chapter parsed, and the server's memory.

    .venv/bin/python benchmarks/reading.py [--duration 10] [--chapter 2.6] [--threads 8]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import EMM_LEARN, Visitor, free_port  # noqa: E402

PASSWORD = "benchmark passphrase for reading"


def main() -> None:
    options = parse_options()
    instance = Path(tempfile.mkdtemp(prefix="emm-bench-"))
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
           "EMM_INSTANCE_PATH": str(instance)}
    # First start ever: empty instance folder, nothing parsed yet, database created.
    server, url, first_start = start_server(env, options.threads)
    stop(server)
    subprocess.run([EMM_LEARN, "create-user", "--email", "reader@example.org", "--name", "Reader",
                    "--password", PASSWORD], env=env, check=True, capture_output=True)
    # A restart, as after a reboot: the parsed curriculum comes from the instance folder's cache.
    server, url, cold_start = start_server(env, options.threads)
    try:
        cookie = sign_in(url)
        chapter = f"{url}/chapters/{options.chapter}"
        results = {"first_start_s": round(first_start, 2), "cold_start_s": round(cold_start, 2),
                   "first_view": first_view(chapter),
                   "threads": options.threads, "duration_s": options.duration, "load": []}
        for connections in (10, 50):
            for name, target, headers in (("ceiling /healthz", f"{url}/healthz", []),
                                          ("anonymous chapter", chapter, []),
                                          ("signed-in chapter", chapter, ["Cookie: " + cookie])):
                results["load"].append({"endpoint": name, "connections": connections,
                                        **wrk(target, connections, options.duration, headers)})
        results["memory_mb"] = memory_mb(server.pid)
    finally:
        stop(server)
    print(json.dumps(results, indent=2))
    print(markdown_table(results))


def start_server(env: dict, threads: int):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([EMM_LEARN, "serve", "--port", str(port), "--threads", str(threads)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return server, url, wait_ready(url, started)


def stop(server) -> None:
    server.terminate()
    server.wait()


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--chapter", default="2.6")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    return parser.parse_args()


def wait_ready(url: str, started: float) -> float:
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return time.perf_counter() - started
        except OSError:
            if time.perf_counter() - started > 60:
                raise SystemExit("server did not start")
            time.sleep(0.02)


def sign_in(url: str) -> str:
    visitor = Visitor()
    status, _, _ = visitor.post_form(url + "/account/sign-in", url + "/account/sign-in",
                                     {"email": "reader@example.org", "password": PASSWORD})
    assert status == 302, status
    return "; ".join(f"{c.name}={c.value}" for c in visitor.cookies)


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.urls.append(attributes["href"])
        elif tag in ("script", "img") and attributes.get("src"):
            self.urls.append(attributes["src"])


def first_view(chapter_url: str) -> dict:
    """Requests and bytes an anonymous first visit downloads (no compression, empty cache)."""
    with urllib.request.urlopen(chapter_url) as response:
        html = response.read()
    assets = Assets()
    assets.feed(html.decode())
    base = re.match(r"https?://[^/]+", chapter_url)[0]
    total = len(html)
    for asset in assets.urls:
        with urllib.request.urlopen(base + asset) as response:
            total += len(response.read())
    return {"requests": 1 + len(assets.urls), "kilobytes": round(total / 1024, 1),
            "html_kilobytes": round(len(html) / 1024, 1)}


def wrk(url: str, connections: int, duration: int, headers: list[str]) -> dict:
    # One load-generator thread: on a 2-core machine wrk gets one core and the server the other.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
            "p50_ms": to_ms(latency["50"]), "p99_ms": to_ms(latency["99"]),
            "errors": errors + (int(non_2xx[1]) if non_2xx else 0)}


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)


def memory_mb(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    field = lambda name: round(int(re.search(rf"{name}:\s+(\d+) kB", status)[1]) / 1024, 1)  # noqa: E731
    return {"rss": field("VmRSS"), "peak": field("VmHWM")}


def markdown_table(results: dict) -> str:
    lines = ["| endpoint | connections | requests/s | p50 ms | p99 ms | errors |",
             "|---|---|---|---|---|---|"]
    for row in results["load"]:
        lines.append(f"| {row['endpoint']} | {row['connections']} | {row['requests_per_s']:.0f} | "
                     f"{row['p50_ms']} | {row['p99_ms']} | {row['errors']} |")
    view = results["first_view"]
    lines.append("")
    lines.append(f"First view: {view['requests']} requests, {view['kilobytes']} KB "
                 f"(HTML {view['html_kilobytes']} KB). First start on an empty instance: "
                 f"{results['first_start_s']} s; restart: {results['cold_start_s']} s. "
                 f"Memory: {results['memory_mb']['rss']} MB RSS "
                 f"(peak {results['memory_mb']['peak']} MB).")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
