"""Set up and run the site: `python3 dev.py serve`, `test`, `build` or `bench`.

Creates `.venv` beside this file (once), installs `requirements.txt` and the `snippets`
package into it (again only when `requirements.txt` changes), then becomes MkDocs, pytest
or the build benchmark run from it (the process is replaced, so Ctrl-C and SIGTERM reach
MkDocs itself and stop its server). Needs only Python >= 3.11.
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


def setup():
    if sys.version_info < (3, 11):
        sys.exit(f"需要 Python 3.11 或更新的版本 / Python >= 3.11 is required (this is {sys.version.split()[0]})")
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".requirements.sha256"
    wanted = hashlib.sha256((ROOT / "requirements.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("installing requirements.txt", flush=True)
        pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "-r", str(ROOT / "requirements.txt")], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
        stamp.write_text(wanted)


def main(argv):
    commands = {
        # Live reload: editing a snippet redraws its figures and reloads the open page.
        "serve": ["-m", "mkdocs", "serve", "--livereload", *argv[1:]],
        "build": ["-m", "mkdocs", "build", "--strict", *argv[1:]],
        "test": ["-m", "pytest", *argv[1:]],
        "bench": [str(ROOT / "benchmarks" / "build.py"), *argv[1:]],
        "lighthouse": [str(ROOT / "benchmarks" / "lighthouse.py"), *argv[1:]],
        # Take it anywhere (publish.py): a copy that reads from disk, and the book as one PDF.
        "offline": ["publish.py", "offline", *argv[1:]],
        "pdf": ["publish.py", "pdf", *argv[1:]],
    }
    if not argv or argv[0] not in commands:
        sys.exit("usage: python3 dev.py serve | test | build | bench | lighthouse | offline | pdf  [extra arguments]")
    setup()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(ROOT)
    sys.stdout.flush()
    os.execv(PYTHON, [str(PYTHON), *commands[argv[0]]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
