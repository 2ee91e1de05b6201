"""Autosave benchmark: many learners saving answers at once against `emm-learn serve`.

Every simulated learner signs in, then saves its answer N times in a row, each save based on the
version the previous one returned (as the page's script does). Afterwards the database is read
directly: every acknowledged save must be there (0 lost), and every refused save must have been
told so (409/503 answers). With --kill, the server gets SIGKILL in the middle of the load, is
started again, and the same check runs over what was acknowledged before the kill.

    .venv/bin/python benchmarks/autosave.py [--users 300] [--saves 20] [--postgres URL] [--kill]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import EMM_LEARN, Visitor, free_port  # noqa: E402

PASSWORD = "benchmark passphrase for autosave"
CHAPTER = "2.6"
USER_AGENT = "Python-urllib/%d.%d" % sys.version_info[:2]  # what tests.servers.Visitor sends


def main() -> None:
    options = parse_options()
    instance = Path(tempfile.mkdtemp(prefix="emm-autosave-"))
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
           "EMM_INSTANCE_PATH": str(instance)}
    database_url, drop = prepare_database(options, instance)
    if database_url:
        env["DATABASE_URL"] = database_url
    os.environ.update(env)
    try:
        exercise = create_users(options.users)
        port = free_port()
        server = start(env, port, options.threads)
        url = f"http://127.0.0.1:{port}"
        learners = sign_in_all(url, options.users, exercise)
        kill_after = options.users * options.saves // 2 if options.kill else None
        outcome = run_load(port, learners, options.saves, kill_after, server, options.interval)
        if options.kill:
            server.wait()
            server = start(env, port, options.threads)
        lost = count_lost(learners)
        integrity = sqlite_integrity(instance) if not database_url else "n/a (PostgreSQL)"
        server.terminate()
        server.wait()
    finally:
        drop()
    report(options, outcome, lost, integrity, database_url)


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--threads", type=int, default=16, help="waitress threads")
    parser.add_argument("--postgres", metavar="SERVER_URL",
                        help="run on a new database of this PostgreSQL server instead of SQLite")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server half-way")
    parser.add_argument("--interval", type=float, default=1.0,
                        help="seconds between one learner's saves (the page saves 1.5 s after "
                             "typing stops); 0 = save again as soon as answered")
    return parser.parse_args()


def prepare_database(options, instance: Path):
    if not options.postgres:
        return None, lambda: None
    from tests.conftest import create_database
    from emm_learn.config import normalise_database_url
    database = create_database(normalise_database_url(options.postgres),
                               f"emm_bench_{uuid.uuid4().hex[:8]}")
    url = database.__enter__()
    return url, lambda: database.__exit__(None, None, None)


def create_users(count: int):
    """Accounts made directly through the account rules (scrypt included), before timing."""
    from emm_learn import create_app
    from emm_learn.accounts import services
    from emm_learn.database import upgrade_database
    from emm_learn.extensions import db
    app = create_app()
    upgrade_database(app)
    with app.app_context():
        for number in range(count):
            services.create_user(f"learner{number}@example.org", f"Learner {number}", PASSWORD)
        db.session.commit()
        exercise = app.extensions["emm_curriculum"].chapter(CHAPTER).exercises[0]
        db.engine.dispose()
    return exercise.anchor


def start(env: dict, port: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen([EMM_LEARN, "serve", "--port", str(port), "--threads", str(threads)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


class Learner:
    def __init__(self, number: int, cookie: str, token: str, path: str):
        self.number, self.cookie, self.token, self.path = number, cookie, token, path
        self.version = 0
        self.acknowledged: list[str] = []  # texts the server said were saved
        self.in_flight: str | None = None  # a text sent whose answer never came (server killed)
        self.latencies: list[float] = []
        self.refused = 0
        self.errors = 0


def sign_in_all(url: str, count: int, anchor: str) -> list[Learner]:
    def one(number: int) -> Learner:
        visitor = Visitor()
        status, _, _ = visitor.post_form(url + "/account/sign-in", url + "/account/sign-in",
                                         {"email": f"learner{number}@example.org",
                                          "password": PASSWORD})
        assert status == 302, status
        _, html, _ = visitor.get(f"{url}/chapters/{CHAPTER}")
        token = Visitor.CSRF.search(html)[1]
        cookie = "; ".join(f"{c.name}={c.value}" for c in visitor.cookies)
        return Learner(number, cookie, token, f"/worksheets/{CHAPTER}/{anchor}/1")
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(count)))


def run_load(port: int, learners: list[Learner], saves: int, kill_after: int | None, server,
             interval: float):
    start_line = threading.Barrier(len(learners) + 1)
    acknowledged = [0]
    lock = threading.Lock()
    killed = threading.Event()

    def work(learner: Learner) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start_line.wait()
        time.sleep(interval * learner.number / len(learners))  # learners do not type in step
        for attempt in range(saves):
            if attempt:
                time.sleep(interval)
            text = f"learner {learner.number}, save {attempt + 1}: " + "field notes " * 20
            while True:
                body = urllib.parse.urlencode({"csrf_token": learner.token, "text": text,
                                               "version": learner.version})
                began = time.perf_counter()
                learner.in_flight = text
                try:
                    connection.request("POST", learner.path, body, {
                        # The same browser as at sign-in: strong session protection checks it.
                        "User-Agent": USER_AGENT,
                        "Cookie": learner.cookie, "Accept": "application/json",
                        "Content-Type": "application/x-www-form-urlencoded"})
                    response = connection.getresponse()
                    payload = response.read()
                except OSError:
                    learner.errors += 0 if killed.is_set() else 1
                    return
                learner.latencies.append(time.perf_counter() - began)
                if response.status == 200:
                    learner.in_flight = None
                    learner.version = json.loads(payload)["version"]
                    learner.acknowledged.append(text)
                    with lock:
                        acknowledged[0] += 1
                        if kill_after and acknowledged[0] == kill_after:
                            killed.set()
                            os.kill(server.pid, signal.SIGKILL)
                    break
                if response.status in (409, 503):  # told, not lost: try again as a page would
                    learner.refused += 1
                    time.sleep(float(response.getheader("Retry-After", "0.2")) / 10)
                    continue
                learner.errors += 1
                if learner.errors == 1 and learner.number == 0:
                    print("unexpected answer:", response.status, payload[:300], file=sys.stderr)
                break

    threads = [threading.Thread(target=work, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {"elapsed": elapsed, "acknowledged": sum(len(l.acknowledged) for l in learners),
            "latencies": [x for l in learners for x in l.latencies],
            "refused": sum(l.refused for l in learners), "errors": sum(l.errors for l in learners),
            "killed": killed.is_set()}


def count_lost(learners: list[Learner]) -> int:
    """Acknowledged saves missing from the database (read directly, not through the app)."""
    from emm_learn import create_app
    from emm_learn.extensions import db
    from sqlalchemy import text as sql
    app = create_app()
    lost = 0
    with app.app_context():
        rows = db.session.execute(sql(
            "SELECT u.email, a.text, r.text FROM users u JOIN answers a ON a.user_id = u.id "
            "JOIN answer_revisions r ON r.answer_id = a.id")).all()
        db.engine.dispose()
    revisions: dict[str, set[str]] = {}
    current: dict[str, str] = {}
    for email, answer_text, revision_text in rows:
        revisions.setdefault(email, set()).add(revision_text)
        current[email] = answer_text
    for learner in learners:
        email = f"learner{learner.number}@example.org"
        kept = revisions.get(email, set())
        lost += sum(text not in kept for text in learner.acknowledged)
        # The answer now shown must be the last acknowledged save, or the one sent after it
        # that the server committed just before it was killed, without its answer arriving.
        if learner.acknowledged and current.get(email) not in (learner.acknowledged[-1],
                                                                learner.in_flight):
            lost += 1
    return lost


def sqlite_integrity(instance: Path) -> str:
    import sqlite3
    connection = sqlite3.connect(instance / "emm_learn.sqlite3")
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    connection.close()
    return result


def report(options, outcome: dict, lost: int, integrity: str, database_url) -> None:
    latencies = sorted(outcome["latencies"]) or [0]
    p = lambda q: round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)  # noqa: E731
    result = {
        "database": "PostgreSQL" if database_url else "SQLite (WAL)",
        "users": options.users, "saves_each": options.saves, "interval_s": options.interval,
        "killed_mid_run": outcome["killed"],
        "acknowledged_saves": outcome["acknowledged"], "lost_saves": lost,
        "refused_and_told": outcome["refused"], "errors": outcome["errors"],
        "saves_per_s": round(outcome["acknowledged"] / outcome["elapsed"], 1),
        "p50_ms": p(0.50), "p99_ms": p(0.99), "integrity_check": integrity,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
