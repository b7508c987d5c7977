"""Lighthouse on a slow phone, every page: `python3 dev.py lighthouse` (or `python benchmarks/lighthouse.py`).

Builds the site (or takes `--site DIR`), serves it on 127.0.0.1 with gzip as any static host
does, and runs Lighthouse (npm `lighthouse` 12.2.3, installed on first use into
`.cache/lighthouse/`; it runs Debian's `/usr/bin/chromium`) in its default mobile mode —
a Moto G-class phone on a throttled 4G connection — three times per page. It prints the
median of each score and of the cumulative layout shift next to the goals: performance
≥ 95, accessibility, best practices and SEO 100, CLS < 0.02. It exits 0 whatever they are.
"""

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE = "lighthouse@12.2.3"  # 13 wants Node 22
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzipped when the browser accepts it (HTML, CSS, JS, SVG, JSON)."""

    COMPRESS = {".html", ".css", ".js", ".svg", ".json", ".ipynb", ".py", ".txt", ".xml"}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in self.COMPRESS or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def lighthouse_command():
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "-E", LIGHTHOUSE], check=True)
    return [str(binary)]


def pages(site):
    """Every page of the built site, as URLs relative to its root."""
    found = []
    for index in sorted(Path(site).rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        if relative != "." and relative.startswith(("assets", "search")):
            continue
        found.append("" if relative == "." else relative + "/")
    return found


def run(command, url, out):
    subprocess.run(
        [*command, url, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
        check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    report = json.loads(Path(out).read_text(encoding="utf-8"))
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores["cls"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    return scores


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a finished build to measure (default: build one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("pages", nargs="*", help="only these pages (e.g. derivation/)")
    args = parser.parse_args()
    command = lighthouse_command()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, check=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        rows = []
        for page in args.pages or pages(site):
            results = [run(command, base + page, Path(tmp) / "report.json") for _ in range(args.runs)]
            rows.append((page or "/", {key: statistics.median(r[key] for r in results) for key in results[0]}))
            print(f"measured {page or '/'}", file=sys.stderr, flush=True)
        server.shutdown()
    print(f"{'page':<34}{'perf':>6}{'a11y':>6}{'bp':>6}{'seo':>6}{'CLS':>8}")
    missed = 0
    for page, median in rows:
        ok = all(median[c] >= goal for c, goal in GOALS.items()) and median["cls"] < 0.02
        missed += not ok
        print(f"{page:<34}{median['performance']:>6.0f}{median['accessibility']:>6.0f}{median['best-practices']:>6.0f}"
              f"{median['seo']:>6.0f}{median['cls']:>8.3f}  {'ok' if ok else 'MISSED'}")
    print(f"\nmedian of {args.runs} runs per page, mobile; goals: performance ≥ 95, the rest 100, CLS < 0.02; "
          f"{len(rows) - missed} of {len(rows)} pages meet them")


if __name__ == "__main__":
    main()
