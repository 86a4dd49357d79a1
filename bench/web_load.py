"""Load test of `recoupe serve` over a store of real articles, on 127.0.0.1 only, bounded.

What it does, in order (every loop has a fixed count or a deadline; it stops by itself):

1. builds a store: 40 RPM2 articles (T01 C1+C2, T04 C1, T08 C1; dates made up: C1 on
   2008-07-01..03, C2 on 2008-07-04..06 so T01's two months make one 20-article story),
   written as front-matter files into a temporary folder and ingested with `recoupe ingest`;
2. starts `recoupe serve --db` on a free 127.0.0.1 port (a subprocess) and samples the memory of
   the server and of its child processes (VmRSS) every 0.2 s;
3. phase "new briefing": 50 clients ask at once for the briefing of a story nobody asked for
   yet (the smallest), while one more client times `GET /` every 0.25 s until that briefing is served;
4. warms the briefings of the two biggest stories (the pages that are then "cached briefings");
5. phase "mixed": ``--requests`` requests from ``--clients`` keep-alive clients, in a fixed
   rotation of list, search, cached briefing and API pages;
6. phase "mixed + ingest": the same, started once `recoupe ingest --batch-size 2` has written its
   first batch of 20 more RPM2 articles (T06 C1, T10 C1) to the same store; prints how many it
   wrote during the phase, then waits for it to end (at most 10 minutes, then SIGINT).

Prints, per phase and kind of page, the count, p50/p95/p99/max latency and errors (a status >= 500,
a broken connection or a 60 s timeout), the other statuses seen (202 = briefing being prepared,
304 = not modified), and the server's memory at the start and at its peak.

Usage: PYTHONPATH=src .venv/bin/python bench/web_load.py [--rpm2 ../shared/bench/rpm2] [--requests 3000]
       [--clients 50] [--db STORE]  (--db reuses a store and skips step 1 and the ingest phase's copy)
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

HOST = "127.0.0.1"  # loopback only: this script never sends a request anywhere else
TIMEOUT = 60.0
RECOUPE = [sys.executable, "-c", "from recoupe.cli import main; main()"]
SEARCHES = ["Betancourt", "otages", "Farc", "dalaï-lama", "Colombie libération", "Armstrong", "Royal", "dopage"]


# --------------------------------------------------------------------------- store and server


def write_articles(rpm2: Path, clusters: list[str], folder: Path) -> int:
    """RPM2 files of ``clusters`` as front-matter files (title = first line, a made-up date)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    n = 0
    for cluster in clusters:
        day0 = 4 if cluster.endswith("C2") else 1
        for path in sorted((rpm2 / "documents").glob(f"{cluster}_*.txt")):
            title, _, body = path.read_text(encoding="utf-8-sig").partition("\n")
            date = f"2008-07-{day0 + rng.randrange(3):02d}"
            safe = title.replace('"', "'").strip()
            (folder / f"{path.stem}.md").write_text(f'---\ntitle: "{safe}"\ndate: {date}\n---\n{body.strip()}\n', encoding="utf-8")
            n += 1
    return n


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    kids = [int(x) for x in f.read().split()]
                out += kids
                todo += kids
        except OSError:
            continue
    return out


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Memory(threading.Thread):
    """Samples the server's RSS (alone, and with its children) until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            own = rss_mb(self.pid)
            self.samples.append((own, own + sum(rss_mb(c) for c in descendants(self.pid))))
            self.stop.wait(0.2)

    def line(self, since: int = 0) -> str:
        s = self.samples[since:] or [(0.0, 0.0)]
        return (f"server RSS {s[0][0]:.0f} -> peak {max(x[0] for x in s):.0f} MB; "
                f"with its workers {s[0][1]:.0f} -> peak {max(x[1] for x in s):.0f} MB")


# --------------------------------------------------------------------------- clients


class Client:
    """One keep-alive HTTP/1.1 connection to the server (reopened after an error)."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, float]:
        """(status, seconds); status 0 for a broken connection or a time-out."""
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
            self.conn.request("GET", path, headers={"Host": f"{HOST}:{self.port}"})
            r = self.conn.getresponse()
            r.read()
            status = r.status
            if r.getheader("connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException):
            status = 0
            if self.conn is not None:
                self.conn.close()
            self.conn = None
        return status, time.perf_counter() - start

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def run_load(port: int, plan: list[tuple[str, str]], clients: int) -> dict[str, list[tuple[int, float]]]:
    """Send every (kind, path) of ``plan`` once, from ``clients`` threads; results by kind."""
    results: dict[str, list[tuple[int, float]]] = defaultdict(list)
    lock = threading.Lock()
    cursor = iter(enumerate(plan))

    def worker() -> None:
        c = Client(port)
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                break
            kind, path = item[1]
            status, secs = c.get(path)
            with lock:
                results[kind].append((status, secs))
        c.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def report(title: str, results: dict[str, list[tuple[int, float]]], seconds: float) -> None:
    total = sum(len(v) for v in results.values())
    errors = sum(1 for v in results.values() for s, _ in v if s == 0 or s >= 500)
    print(f"\n{title}: {total} requests in {seconds:.1f} s ({total / seconds:.0f}/s), errors {errors}")
    print(f"  {'page':<16}{'n':>6}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}  errors  other statuses")
    for kind in sorted(results):
        v = results[kind]
        secs = [t for _, t in v]
        codes = Counter(s for s, _ in v)
        errs = sum(n for s, n in codes.items() if s == 0 or s >= 500)
        other = ", ".join(f"{s}x{n}" for s, n in sorted(codes.items()) if s != 200 and not (s == 0 or s >= 500))
        print(f"  {kind:<16}{len(v):>6}{pct(secs, 50):>8.3f}s{pct(secs, 95):>8.3f}s{pct(secs, 99):>8.3f}s{max(secs):>8.3f}s"
              f"  {errs:>6}  {other}")


def wait_ready(port: int, path: str, deadline: float) -> float:
    """Poll ``path`` until it answers 200; seconds waited (inf past the deadline)."""
    c = Client(port)
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        status, _ = c.get(path)
        if status == 200:
            c.close()
            return time.perf_counter() - start
        time.sleep(0.5)
    c.close()
    return float("inf")


def stored_articles(db: Path) -> int:
    """Articles committed to the store, read as any reader would (a read transaction)."""
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def stories_of(port: int) -> list[dict]:
    import json

    c = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    c.request("GET", "/api/stories")
    data = json.loads(c.getresponse().read())
    c.close()
    return sorted(data, key=lambda s: -len(s["articles"]))


# --------------------------------------------------------------------------- phases


def phase_new_briefing(port: int, story: str, clients: int) -> None:
    """50 clients ask for a briefing not built yet; meanwhile GET / is timed every 0.25 s."""
    path = "/stories/" + quote(story, safe="")
    probes: list[tuple[int, float]] = []
    done = threading.Event()

    def probe() -> None:
        c = Client(port)
        while not done.is_set() and len(probes) < 2400:  # 10 minutes at most
            probes.append(c.get("/"))
            done.wait(0.25)
        c.close()

    prober = threading.Thread(target=probe)
    prober.start()
    start = time.perf_counter()
    results = run_load(port, [("new briefing", path)] * clients, clients)
    ready = wait_ready(port, path, time.perf_counter() + 600)
    done.set()
    prober.join()
    results["GET / meanwhile"] = probes
    report(f"new briefing ({story}, {clients} clients at once; ready after {time.perf_counter() - start:.1f} s)",
           results, time.perf_counter() - start)
    if ready == float("inf"):
        print("  the briefing was not ready after 600 s")


def mixed_plan(stories: list[dict], n: int) -> list[tuple[str, str]]:
    cached = ["/stories/" + quote(s["id"], safe="") for s in stories[:2]]
    rotation = [
        ("list", lambda k: "/"),
        ("search", lambda k: "/?q=" + quote(SEARCHES[k % len(SEARCHES)])),
        ("cached briefing", lambda k: cached[k % len(cached)]),
        ("api stories", lambda k: "/api/stories"),
        ("api search", lambda k: "/api/search?q=" + quote(SEARCHES[(k + 3) % len(SEARCHES)])),
        ("api briefing", lambda k: "/api/stories/" + quote(stories[k % 2]["id"], safe="")),
    ]
    return [(rotation[k % len(rotation)][0], rotation[k % len(rotation)][1](k // len(rotation))) for k in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rpm2", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "rpm2"))
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--db", default=None, help="reuse this store (built by an earlier run with --keep)")
    ap.add_argument("--keep", default=None, help="copy the store built in step 1 to this path")
    args = ap.parse_args()
    rpm2 = Path(args.rpm2)
    print(f"{os.cpu_count()} cores; load average before: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "load.db"
        if args.db:
            shutil.copy(args.db, db)
        else:
            n = write_articles(rpm2, ["T01_C1", "T01_C2", "T04_C1", "T08_C1"], tmp / "first")
            t = time.perf_counter()
            subprocess.run(RECOUPE + ["ingest", str(tmp / "first"), "--db", str(db)], check=True, stderr=subprocess.DEVNULL)
            print(f"store: {n} articles ingested in {time.perf_counter() - t:.0f} s")
            if args.keep:
                shutil.copy(db, args.keep)
        extra = write_articles(rpm2, ["T06_C1", "T10_C1"], tmp / "later")

        port = free_port()
        server = subprocess.Popen(RECOUPE + ["serve", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        mem = Memory(server.pid)
        ingest = None
        try:
            deadline = time.monotonic() + 60
            while wait_ready(port, "/", time.perf_counter() + 1) == float("inf"):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
            mem.start()
            stories = stories_of(port)
            print("stories: " + ", ".join(f"{s['id']} ({len(s['articles'])} articles)" for s in stories))

            phase_new_briefing(port, stories[-1]["id"], args.clients)
            for s in stories[:2]:
                waited = wait_ready(port, "/stories/" + quote(s["id"], safe=""), time.perf_counter() + 600)
                print(f"warm-up: briefing of {s['id']} ready after {waited:.1f} s")

            plan = mixed_plan(stories, args.requests)
            start = time.perf_counter()
            report(f"mixed pages, {args.clients} clients", run_load(port, plan, args.clients), time.perf_counter() - start)

            ingest = subprocess.Popen(RECOUPE + ["ingest", str(tmp / "later"), "--db", str(db), "--batch-size", "2"],
                                      stderr=subprocess.PIPE, text=True)
            before = stored_articles(db)
            deadline = time.monotonic() + 120
            while stored_articles(db) == before and ingest.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)  # until its first batch is written: the phase runs while it writes
            before = stored_articles(db)
            start = time.perf_counter()
            results = run_load(port, plan, args.clients)
            written = stored_articles(db) - before
            running = ingest.poll() is None
            report(f"mixed pages, {args.clients} clients, while `recoupe ingest --batch-size 2` adds {extra} articles "
                   f"({written} written during the phase; {'still running at its end' if running else 'ended during it'})",
                   results, time.perf_counter() - start)
            try:
                out = ingest.communicate(timeout=600)[1]
                print("  ingest: " + (out.strip().splitlines() or ["?"])[-1])
            except subprocess.TimeoutExpired:
                ingest.send_signal(signal.SIGINT)
                ingest.communicate(timeout=60)
            print("\nmemory: " + mem.line())
        finally:
            mem.stop.set()
            if ingest is not None and ingest.poll() is None:
                ingest.kill()
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    print("load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
