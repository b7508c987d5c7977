"""Set up and run the site: `python3 dev.py serve`, `test`, `build`, `bench`, `offline`, `pdf` or `lock`.

Creates `.venv` beside this file (once), installs `requirements-test.txt` into it (which pins
everything `requirements.txt` does, the build plugin `sitebuild` among it, plus what tests the
site; again only when it changes), then becomes MkDocs, pytest or the build benchmark run
from it (the process is replaced, so Ctrl-C and SIGTERM reach MkDocs itself and stop its
server). `lock` compiles the two requirements files from their short top-level lists
(`requirements.in`, `requirements-test.in`) with `uv pip compile`. Needs only Python >= 3.11.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
INSTALLED = ["requirements.txt", "requirements-test.txt", "pyproject.toml"]


def setup():
    if sys.version_info < (3, 11):
        sys.exit(f"需要 Python 3.11 或更新的版本 / Python >= 3.11 is required (this is {sys.version.split()[0]})")
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".requirements.sha256"
    wanted = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in INSTALLED)).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("installing requirements-test.txt", flush=True)
        pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "-r", str(ROOT / "requirements-test.txt")], check=True, cwd=ROOT)
        stamp.write_text(wanted)


def lock():
    """requirements.txt and requirements-test.txt from their top-level lists: every package pinned, for
    Linux and macOS, Python >= 3.11; a version already pinned stays unless a list asks otherwise."""
    for source, target in [("requirements.in", "requirements.txt"), ("requirements-test.in", "requirements-test.txt")]:
        subprocess.run([str(BIN / "uv"), "pip", "compile", source, "-o", target, "--universal", "--python-version",
                        "3.11", "--custom-compile-command", "python3 dev.py lock"], check=True, cwd=ROOT)


def main(argv):
    commands = {
        # Live reload: editing a snippet redraws its figures and reloads the open page.
        "serve": ["-m", "mkdocs", "serve", "--livereload", *argv[1:]],
        "build": ["-m", "mkdocs", "build", "--strict", *argv[1:]],
        "test": ["-m", "pytest", *argv[1:]],
        "bench": [str(ROOT / "benchmarks" / "build.py"), *argv[1:]],
        "lighthouse": [str(ROOT / "benchmarks" / "lighthouse.py"), *argv[1:]],
        # Take it anywhere (sitebuild/offline.py, sitebuild/pdf.py): a copy that reads from disk, the book as a PDF.
        "offline": ["-m", "sitebuild", "offline", *argv[1:]],
        "pdf": ["-m", "sitebuild", "pdf", *argv[1:]],
    }
    if not argv or argv[0] not in [*commands, "lock"]:
        sys.exit("usage: python3 dev.py serve | test | build | bench | lighthouse | offline | pdf | lock  [extra arguments]")
    setup()
    if argv[0] == "lock":
        return lock()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(ROOT)
    sys.stdout.flush()
    os.execv(PYTHON, [str(PYTHON), *commands[argv[0]]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
