"""The command line: ``python -m sitebuild offline | pdf | font`` (``python3 dev.py offline`` and ``pdf`` run it).

    python -m sitebuild offline [--site DIR] [--out FILE]   # site-offline.zip, from an OFFLINE=true build
    python -m sitebuild pdf [--site DIR] [--out FILE]       # xiashan.pdf, from a PRINT_SITE=true build
    python -m sitebuild font                                # the math font subset, into docs/assets/fonts/

Without ``--site`` it first makes the build the command needs (``strict_build``) in a scratch
folder; with it, it reuses a finished one. Run it from the project folder.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sitebuild.archive import source_date_epoch


def strict_build(project, site_dir, cache_dir=None, **flags):
    """``mkdocs build --strict`` of ``project`` into ``site_dir``, with ``flags`` as environment variables
    (``OFFLINE="true"``, ``PRINT_SITE="true"``); raises with MkDocs' output on failure."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(source_date_epoch(project)), **flags}
    if cache_dir is not None:
        env["SITE_CACHE_DIR"] = str(cache_dir)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"strict build failed:\n{result.stdout}\n{result.stderr}")
    return Path(site_dir)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sitebuild", description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["offline", "pdf", "font"])
    parser.add_argument("--site", help="use this finished build (offline: OFFLINE=true, pdf: PRINT_SITE=true)")
    parser.add_argument("--out", help="where to write (default: site-offline.zip or xiashan.pdf here)")
    args = parser.parse_args(argv)
    project = Path.cwd()
    if args.what == "font":
        from sitebuild.formulas import write_font

        print(write_font(project / "mkdocs.yml"))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="xiashan-") as scratch:
        if args.what == "offline":
            from sitebuild.offline import ZIP_FOLDER, make_offline_zip

            site = Path(args.site) if args.site else strict_build(project, Path(scratch) / "site", OFFLINE="true")
            out = make_offline_zip(site, Path(args.out or "site-offline.zip"), source_date_epoch(project))
            hint = f"unzip it anywhere and open {ZIP_FOLDER}/index.html"
        else:
            from sitebuild.pdf import make_pdf

            site = Path(args.site) if args.site else strict_build(project, Path(scratch) / "site", PRINT_SITE="true")
            out = make_pdf(site, Path(args.out or "xiashan.pdf"), source_date_epoch(project))
            hint = "every page of the book in reading order"
    size = out.stat().st_size / 1024 / 1024
    print(f"{out} ({size:.1f} MiB, {time.monotonic() - started:.0f} s): {hint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
