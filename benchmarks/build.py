"""Build speed, side by side in one run: `python3 dev.py bench` (or `python benchmarks/build.py`).

Works on a copy of the project in a temporary folder (the working tree is never touched)
and times, each as the median of three runs (three rounds, each timing all of them in turn):

* bare       the same pages with none of the machinery: a config that inherits mkdocs.yml
             without the sitebuild plugin and markdown-exec, mkdocs-jupyter rendering the notebooks' sources
             unexecuted (`bare, no notebooks` also drops the notebook pages: shown, not a goal);
* snippets   one run of every snippet module in one process: what `python -m snippets.<name>`
             prints, and every figure in its FIGURES drawn as SVG in each palette, as the site has it;
* clean      `mkdocs build --strict` with an empty cache;
* unchanged  the same build again with the cache it left;
* one edit   the build after adding a comment line to snippets/predict.py.

Then the test suite once: without the browser tests, and whole (`--no-tests` skips it).
It prints the times and the ratios next to their goals; it exits 0 whatever they are.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ["docs", "snippets", "tests", "vendor", "sitebuild", "overrides", "mkdocs.yml", "requirements.txt",
        "requirements-test.txt", "pyproject.toml", ".github"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(command, cwd, env=ENV):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0,):  # pytest reports its failures on stdout, mkdocs on stderr
        sys.exit(f"failed: {' '.join(map(str, command))}\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
    return elapsed


def bare_configs(project):
    """Two configs with none of the machinery: the same pages, and the same pages less the notebooks."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.search(r"^nav:\n(?:  .*\n)+", text, re.M)[0]
    common = "INHERIT: mkdocs.yml\nwatch: []\nplugins:\n  - search:\n      lang: zh\n"
    jupyter = '  - mkdocs-jupyter:\n      include: ["notebooks/*.py"]\n      ignore: ["*.md"]\n      execute: false\n'
    same = project / "bare.yml"
    same.write_text(common + jupyter + nav.replace(".ipynb", ".py"), encoding="utf-8")
    fewer = project / "bare-no-notebooks.yml"
    kept = "".join(line + "\n" for line in nav.splitlines() if ".ipynb" not in line)
    fewer.write_text(common + kept + "exclude_docs: |\n  notebooks/\n", encoding="utf-8")
    return same, fewer


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-tests", action="store_true", help="skip timing the test suite")
    args = parser.parse_args()
    python = sys.executable
    mkdocs = [python, "-m", "mkdocs", "build", "--strict", "-q"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = tmp / "project"
        project.mkdir()
        for name in COPY:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(source, project / name)
        env = {**ENV, "PYTHONPATH": str(project)}
        bare, bare_without_notebooks = bare_configs(project)
        modules = sorted(p.stem for p in (project / "snippets").glob("*.py") if p.stem not in {"__init__", "style", "checks"})
        run_all = (
            "import io, runpy\nfrom sitebuild.figures import drawings\nfrom snippets.style import save_svg\nfor m in %r:\n"
            "    names = runpy.run_module('snippets.' + m, run_name='__main__')\n"
            "    for entry in names.get('FIGURES', {}).values():\n"
            "        for _, figure in drawings(entry):\n"
            "            save_svg(figure, io.BytesIO())\n" % modules
        )
        cache = tmp / "cache"

        def build(i, fresh=False):
            if fresh:
                shutil.rmtree(cache, ignore_errors=True)
            return timed([*mkdocs, "-d", str(tmp / "site")], project, {**env, "SITE_CACHE_DIR": str(cache)})

        def edit_and_build(i):
            with (project / "snippets" / "predict.py").open("a", encoding="utf-8") as module:
                module.write(f"\n# 改动 {i}\n")
            return build(i)

        runs = {
            "bare": lambda i: timed([*mkdocs, "-f", str(bare), "-d", str(tmp / "bare")], project, env),
            "bare, no notebooks": lambda i: timed([*mkdocs, "-f", str(bare_without_notebooks), "-d", str(tmp / "bare")],
                                                  project, env),
            "snippets": lambda i: timed([python, "-c", run_all], project, env),
            "clean": lambda i: build(i, fresh=True),
            "unchanged": build,  # with the cache the clean build just left
            "one edit": edit_and_build,
        }
        # three rounds of all six, not three of each in a row: a machine that slows down or speeds up
        # during the run changes every measurement alike, and the ratios stay fair
        measured = {name: [] for name in runs}
        for i in range(3):
            for name, run in runs.items():
                measured[name].append(run(i))
        times = {name: statistics.median(values) for name, values in measured.items()}
        if not args.no_tests:
            pytest = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
            times["tests (no browser)"] = timed([*pytest, "-m", "not browser"], project, env)
            times["tests (all)"] = timed(pytest, project, env)

    print(f"{'what':<20}{'seconds':>9}")
    for name, seconds in times.items():
        print(f"{name:<20}{seconds:>9.2f}")
    goals = [
        ("clean / (bare + snippets)", times["clean"] / (times["bare"] + times["snippets"]), 1.25),
        ("unchanged / bare", times["unchanged"] / times["bare"], 1.15),
        ("one edit / clean", times["one edit"] / times["clean"], 0.40),
    ]
    if not args.no_tests:
        goals += [("tests (no browser), s", times["tests (no browser)"], 30), ("tests (all), s", times["tests (all)"], 120)]
    print(f"\n{'ratio':<28}{'value':>7}{'goal':>8}")
    for name, value, goal in goals:
        print(f"{name:<28}{value:>7.2f}{'≤ ' + str(goal):>8}  {'ok' if value <= goal else 'MISSED'}")


if __name__ == "__main__":
    main()
