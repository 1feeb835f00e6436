"""Pages as a new user meets them: gunicorn with 2 workers on a demo's data, measured from outside.

    python benchmarks/pages.py --home /tmp/demo            # a demo made by `saderat demo --no-serve`
    python benchmarks/pages.py --home /tmp/demo --quick    # one round, fewer requests
    python benchmarks/pages.py --home /tmp/demo --baseline 404ba30   # against that revision's code path

For each case (ours: this checkout; the baseline: another revision of the code, ``--baseline REV``, checked
out into a temporary worktree, on the same copy of the data), interleaved A B A B:

1. **cold, first request after a restart**: the figure cache emptied, gunicorn started afresh, one login,
   then one page; once per page (every page is the first one its worker serves);
2. **after an import**: a small file of a year the demo lacks imported by the command line (for this checkout,
   followed by the worker's materialisation, timed apart), then the first request of the dashboard, targets
   and opportunities pages of a restarted server on an emptied cache;
3. **warm**: 20 concurrent clients, each its own session, requesting the page in turn; p50, p95, errors.

The JSON overview (``/api/stats/overview``) is among the pages. Medians over rounds, pairwise ratios, the
machine and its load printed first.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from timing import machine

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PAGES = {
    "dashboard": "/",
    "stats": "/stats/",
    "targets": "/targets/",
    "opportunities": "/opportunities/",
    "product": None,  # the first product the opportunities list links
    "dynamics": "/registry/exporters/dynamics/",
    "compliance": "/quality/compliance/",
    "notifications": "/quality/notifications/",
    "workgroup": "/workgroup/",
    "overview JSON": "/api/stats/overview?region=00&year=1402",
}
WARM_PAGES = ("dashboard", "product", "opportunities", "targets", "overview JSON")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser: its cookies, its connection."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/accounts/login/"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected):
                if attempt:
                    raise
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
        status, _ = self.request("POST", "/accounts/login/", form)
        if status != 302:
            raise SystemExit(f"login failed ({status})")

    def timed_get(self, path: str) -> tuple[float, int]:
        start = time.perf_counter()
        status, _ = self.request("GET", path)
        return time.perf_counter() - start, status


class Server:
    def __init__(self, home: Path, src: Path):
        self.home, self.port = home, free_port()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(src),  # this checkout's code, or the baseline's
            "SADERAT_HOME": str(home),
            "DJANGO_SETTINGS_MODULE": "saderat.web.config.settings.production",
            "SADERAT_SSL_REDIRECT": "false",
            "SADERAT_SECURE_COOKIES": "false",
        }
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "saderat.web.config.wsgi", "--workers", "2", "--bind",
             f"127.0.0.1:{self.port}", "--timeout", "300", "--log-level", "warning"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(60)

    log = open(os.devnull, "w")  # noqa: SIM115


def first_product(home: Path, src: Path, password: str) -> str:
    server = Server(home, src)
    server.start()
    try:
        client = Client(server.port)
        client.login("admin", password)
        _, page = client.request("GET", "/opportunities/")
    finally:
        server.stop()
    return re.search(rb"/opportunities/product/(\d{4})/", page).group(1).decode()


def empty_figure_cache(home: Path) -> None:
    shutil.rmtree(home / "cache", ignore_errors=True)


def first_requests(home: Path, src: Path, password: str) -> dict[str, float]:
    """Each page as the first request of a freshly started server with an empty figure cache."""
    return {name: first_request(home, src, password, path) for name, path in PAGES.items()}


def first_request(home: Path, src: Path, password: str, path: str) -> float:
    """Seconds of ``path`` as the first page of a freshly started server (after one login) on an emptied
    figure cache."""
    empty_figure_cache(home)
    server = Server(home, src)
    server.start()
    try:
        client = Client(server.port)
        client.login("admin", password)
        elapsed, status = client.timed_get(path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        return elapsed
    finally:
        server.stop()


AFTER_IMPORT_PAGES = ("dashboard", "targets", "opportunities")


def saderat(home: Path, src: Path, *args: str) -> str:
    env = {**Server(home, src).env, "DJANGO_SETTINGS_MODULE": "saderat.web.config.settings.dev"}
    done = subprocess.run([str(BIN / "saderat"), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def after_import(home: Path, src: Path, password: str, year: int, materialise: bool) -> dict[str, float]:
    """A small file of ``year`` (three lines of the province, a year the demo lacks) imported by the command
    line; with ``materialise``, what the worker then does (timed apart: the worker's work, not a visitor's);
    then each page of :data:`AFTER_IMPORT_PAGES` as the first request of a restarted server."""
    folder = Path(tempfile.mkdtemp(prefix="saderat-import-"))
    path = folder / f"province-{year}.csv"
    lines = [f"{year},00,{code},IRQ,{1000 + i},{25000 + 100 * i}\n" for i, code in enumerate(CODES)]
    path.write_text("year,region,tariff_code,destination,weight_kg,value_usd\n" + "".join(lines))
    saderat(home, src, "import", str(path))
    times = {}
    if materialise:
        start = time.perf_counter()
        code = "from saderat.web.common.materialise import materialise; materialise()"
        saderat(home, src, "manage", "shell", "-c", code)
        times["(worker: materialise)"] = time.perf_counter() - start
    for name in AFTER_IMPORT_PAGES:
        times[name] = first_request(home, src, password, PAGES[name])
    shutil.rmtree(folder, ignore_errors=True)
    return times


CODES = ("25232900", "72071110", "39011000")


def warm(home: Path, src: Path, password: str, clients: int, per_client: int) -> dict[str, tuple]:
    """p50, p95 and errors of each page under ``clients`` concurrent sessions, after one warm-up request."""
    server = Server(home, src)
    server.start()
    out = {}
    try:
        sessions = []
        for _ in range(clients):
            c = Client(server.port)
            c.login("admin", password)
            sessions.append(c)
        for name in WARM_PAGES:
            path = PAGES[name]
            for c in sessions[:4]:
                c.timed_get(path)
            latencies: list[float] = []
            errors = [0]
            lock = threading.Lock()

            def run(c: Client, path=path, latencies=latencies, errors=errors, lock=lock) -> None:
                for _ in range(per_client):
                    try:
                        elapsed, status = c.timed_get(path)
                    except Exception:
                        elapsed, status = 0.0, 0
                    with lock:
                        latencies.append(elapsed)
                        errors[0] += status != 200

            threads = [threading.Thread(target=run, args=(c,)) for c in sessions]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - start
            latencies.sort()
            p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
            out[name] = (statistics.median(latencies), p95, errors[0], len(latencies) / wall)
    finally:
        server.stop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, required=True, help="SADERAT_HOME of a demo (saderat demo)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20, help="requests per client and page (warm)")
    parser.add_argument("--quick", action="store_true", help="one round, 5 requests per client")
    parser.add_argument("--baseline", help="a git revision whose code path to compare with (worktree)")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.requests = 1, 5
    cases = {"this checkout": ROOT / "src"}
    if args.baseline:
        tree = Path(tempfile.mkdtemp(prefix="saderat-baseline-")) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline],
                       check=True, capture_output=True)  # fmt: skip
        cases[f"baseline {args.baseline}"] = tree / "src"
    password = (args.home / "demo-admin-password.txt").read_text().strip()
    # The benchmark works on a copy: the import scenario adds a batch.
    work = Path(tempfile.mkdtemp(prefix="saderat-pages-"))
    home = work / "home"
    shutil.copytree(args.home, home, symlinks=True)
    print(machine())
    print(f"demo: {args.home} (a copy in {home}); gunicorn 2 workers; rounds {args.rounds}")
    PAGES["product"] = f"/opportunities/product/{first_product(home, ROOT / 'src', password)}/"
    print(f"product page: {PAGES['product']}")

    cold: dict[str, dict[str, list[float]]] = {c: {p: [] for p in PAGES} for c in cases}
    for _ in range(args.rounds):
        for case, src in cases.items():
            for page, t in first_requests(home, src, password).items():
                cold[case][page].append(t)
    print("\n1. first request after a restart, figure cache empty (median over rounds, ms):")
    names = list(cases)
    print(f"   {'page':<15}" + "".join(f"{n:>20}" for n in names) + ("   ratio" if len(names) == 2 else ""))
    for page in PAGES:
        meds = [statistics.median(cold[c][page]) * 1000 for c in names]
        line = f"   {page:<15}" + "".join(f"{m:20.0f}" for m in meds)
        if len(names) == 2:
            pairs = [b / a for a, b in zip(cold[names[0]][page], cold[names[1]][page], strict=True)]
            line += f"   {statistics.median(pairs):5.1f}x"
        print(line)

    after: dict[str, dict[str, list[float]]] = {c: {} for c in cases}
    year = 1394
    for _ in range(args.rounds):
        for index, (case, src) in enumerate(cases.items()):
            for page, t in after_import(home, src, password, year, materialise=index == 0).items():
                after[case].setdefault(page, []).append(t)
            year += 1
    print("\n2. first request after an import (a new year of the province) and a restart, cache empty (ms):")
    for case in names:
        for page, ts in after[case].items():
            print(f"   {case:<18} {page:<24} median {statistics.median(ts) * 1000:8.0f}  (n={len(ts)})")

    print(f"\n3. warm, {args.clients} concurrent clients x {args.requests} requests per page:")
    for case, src in cases.items():
        for page, (p50, p95, errors, rate) in warm(home, src, password, args.clients, args.requests).items():
            print(
                f"   {case:<13} {page:<15} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
                f"errors {errors}  {rate:6.1f} req/s"
            )
    print("\n" + machine())
    shutil.rmtree(work, ignore_errors=True)
    if args.baseline:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
