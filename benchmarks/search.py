"""Search benchmark: starts `emm-learn serve` and loads /search with a mix of queries, using wrk.

Measures, in one run: how long building the index takes, requests/s and p50/p99 latency for a
mix of eight kinds of query (common word, rare word, two words, phrase, prefix, no match,
punctuation only, second page) at 10 and 50 connections, and each kind alone at 10 connections.
The framework ceiling (/healthz) is measured alongside for comparison. Every response is checked
once before timing: 200, and results where results are expected. --language es or fr sends the
same eight kinds of query in Spanish or French (typed without accents, as many readers do), on
pages asked for in that language (?lang=).

    .venv/bin/python benchmarks/search.py [--duration 10] [--threads 8] [--postgres SERVER_URL]
                                          [--language en|es|fr]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from reading import to_ms, wait_ready  # noqa: E402
from tests.servers import EMM_LEARN, free_port  # noqa: E402

# Per language: (name, query, page, expects results)
QUERIES = {
    "en": [
        ("common word", "migration", 1, True),
        ("rare word", "remittances", 1, True),
        ("two words", "trafficking victims", 1, True),
        ("phrase", '"irregular migration"', 1, True),
        ("prefix", "migra*", 1, True),
        ("no match", "quokkaphant", 1, False),
        ("punctuation only", "?!", 1, False),
        ("second page", "border", 2, True),
    ],
    "es": [
        ("common word", "migracion", 1, True),
        ("rare word", "remesas", 1, True),
        ("two words", "victimas trata", 1, True),
        ("phrase", '"migracion irregular"', 1, True),
        ("prefix", "migra*", 1, True),
        ("no match", "quokkaphant", 1, False),
        ("punctuation only", "?!", 1, False),
        ("second page", "fronteras", 2, True),
    ],
    "fr": [
        ("common word", "migration", 1, True),
        ("rare word", "envois de fonds", 1, True),
        ("two words", "victimes traite", 1, True),
        ("phrase", '"migration irreguliere"', 1, True),
        ("prefix", "migra*", 1, True),
        ("no match", "quokkaphant", 1, False),
        ("punctuation only", "?!", 1, False),
        ("second page", "frontieres", 2, True),
    ],
}


def main() -> None:
    options = parse_options()
    instance = Path(tempfile.mkdtemp(prefix="emm-search-"))
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
           "EMM_INSTANCE_PATH": str(instance)}
    database_url, drop = prepare_database(options.postgres)
    if database_url:
        env["DATABASE_URL"] = database_url
    try:
        server, url = start_server(env, options.threads)
        try:
            results = run(options, env, url)
        finally:
            server.terminate()
            server.wait()
    finally:
        drop()
    results["database"] = "PostgreSQL" if database_url else "SQLite"
    results["language"] = options.language
    print(json.dumps(results, indent=2))
    print(markdown_table(results))


def run(options, env: dict, url: str) -> dict:
    queries = QUERIES[options.language]
    paths = [search_path(query, page, options.language) for _, query, page, _ in queries]
    for (name, _, _, expects_results), path in zip(queries, paths):
        check(url + path, name, expects_results)
    results = {"machine": machine(), "threads": options.threads, "duration_s": options.duration,
               "index_build_s": index_build_seconds(env), "load": [],
               "load_average_before": os.getloadavg()[0]}
    script = write_mix_script(paths)
    for connections in (10, 50):
        results["load"].append({"endpoint": "ceiling /healthz", "connections": connections,
                                **wrk(url + "/healthz", connections, options.duration)})
        results["load"].append({"endpoint": "search, mix of 8 queries", "connections": connections,
                                **wrk(url + "/", connections, options.duration, script)})
    for (name, _, _, _), path in zip(queries, paths):
        results["load"].append({"endpoint": f"search, {name}", "connections": 10,
                                **wrk(url + path, 10, max(3, options.duration // 2))})
    # Other work on the machine takes cores from the server and from wrk: say how much there was.
    results["load_average_after"] = os.getloadavg()[0]
    return results


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per mixed wrk run")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--postgres", metavar="SERVER_URL",
                        help="run on a new database of this PostgreSQL server instead of SQLite")
    parser.add_argument("--language", choices=sorted(QUERIES), default="en",
                        help="the language of the queries and of the results pages")
    return parser.parse_args()


def prepare_database(server_url: str | None):
    if not server_url:
        return None, lambda: None
    from emm_learn.config import normalise_database_url
    from tests.conftest import create_database
    database = create_database(normalise_database_url(server_url),
                               f"emm_bench_{uuid.uuid4().hex[:8]}")
    url = database.__enter__()
    return url, lambda: database.__exit__(None, None, None)


def start_server(env: dict, threads: int):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([EMM_LEARN, "serve", "--port", str(port), "--threads", str(threads)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_ready(url, time.perf_counter())
    except BaseException:  # "server did not start": it must not outlive the benchmark
        server.terminate()
        server.wait()
        raise
    return server, url


def search_path(query: str, page: int, language: str) -> str:
    parameters = {"q": query, **({"page": page} if page > 1 else {}),
                  **({"lang": language} if language != "en" else {})}
    return "/search?" + urllib.parse.urlencode(parameters)


def check(url: str, name: str, expects_results: bool) -> None:
    with urllib.request.urlopen(url) as response:
        html = response.read().decode()
        assert response.status == 200, (name, response.status)
    has_results = '<li class="search-result">' in html
    assert has_results == expects_results, f"{name}: results {has_results}"


def index_build_seconds(env: dict) -> dict:
    """Rebuilding the whole index (--force, every language), three times, in a process of its
    own."""
    code = ("import time, statistics; from emm_learn import create_app; "
            "from emm_learn.search import services; app = create_app(); "
            "ctx = app.app_context(); ctx.push(); c = app.extensions['emm_curriculum']; "
            "t = []\n"
            "for _ in range(3):\n"
            "    s = time.perf_counter(); o = services.index_every_language(c, force=True); "
            "t.append(time.perf_counter() - s)\n"
            "print(statistics.median(t), sum(x.entry_count for x in o))")
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True).stdout.split()
    return {"median_s": round(float(output[-2]), 3), "entries": int(output[-1])}


def write_mix_script(paths: list[str]) -> Path:
    """A wrk Lua script that sends the queries in turn."""
    script = Path(tempfile.mkstemp(prefix="emm-search-", suffix=".lua")[1])
    quoted = ", ".join(json.dumps(path) for path in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\n"
        "end\n")
    return script


def wrk(url: str, connections: int, duration: int, script: Path | None = None) -> dict:
    # One load-generator thread: on a 2-core machine wrk gets one core and the server the other.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
            "p50_ms": to_ms(latency["50"]), "p99_ms": to_ms(latency["99"]),
            "errors": errors + (int(non_2xx[1]) if non_2xx else 0)}


def machine() -> str:
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    gib = round(int(memory[1]) / 1024 / 1024) if memory else "?"
    return (f"{os.cpu_count()} cores, {gib} GiB, Python {platform.python_version()}, "
            f"SQLite {__import__('sqlite3').sqlite_version}")


def markdown_table(results: dict) -> str:
    lines = [f"{results['database']}, queries in {results['language']}; index built in {results['index_build_s']['median_s']} s "
             f"({results['index_build_s']['entries']} entries); {results['machine']}; "
             f"1-minute load average {results['load_average_before']:.1f} before, "
             f"{results['load_average_after']:.1f} after", "",
             "| endpoint | connections | requests/s | p50 ms | p99 ms | errors |",
             "|---|---|---|---|---|---|"]
    for row in results["load"]:
        lines.append(f"| {row['endpoint']} | {row['connections']} | {row['requests_per_s']:.0f} | "
                     f"{row['p50_ms']} | {row['p99_ms']} | {row['errors']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
