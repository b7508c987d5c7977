"""Each notebook page's download: a zip that runs on its own, away from this repository.

How it works
------------
``notebook_bundle`` packs, under one folder named after the notebook: the executed notebook
(the same file the page shows), the snippet modules it imports, directly or through other
snippets (its closure, with ``snippets/__init__.py``), a ``requirements.txt`` that pins every
other package those files import to the version this build runs with (read from the installed
distributions, so it is the build's lock file's version), and a ``README.txt`` with the one
command that runs it (``run_command``), which the page shows too. The zip is written with
``archive.write_zip``, so two builds give the same bytes. ``tests/test_downloads.py`` unpacks
it into an empty folder and executes the notebook in a process that cannot import this
repository's ``snippets``.
"""

import functools
import importlib.metadata
import sys
from pathlib import Path

from sitebuild.archive import write_zip
from sitebuild.cache import imported_modules


def run_command(name):
    """The one command, run in the unzipped folder, that installs what the notebook needs and opens it."""
    return f"pip install -r requirements.txt jupyterlab && jupyter lab {name}.ipynb"


def imported_packages(paths):
    """Top-level names the Python files at ``paths`` import, other than ``snippets`` and the standard library."""
    names = {name.split(".")[0] for path in paths for name in imported_modules(path)}
    return sorted(names - {"snippets"} - set(sys.stdlib_module_names))


@functools.cache
def installed_distributions():
    """Import name → the installed distributions that provide it, read once per process: reading
    every installed package's file list takes about half a second, and the five notebooks of a
    build (and every rebuild under ``mkdocs serve``) ask the same question. A package installed
    while ``mkdocs serve`` runs is seen after a restart."""
    return importlib.metadata.packages_distributions()


def pinned_requirements(packages):
    """``requirements.txt`` text: the installed distribution of each import name, pinned to its version."""
    distributions = installed_distributions()
    pins = set()
    for package in packages:
        if package not in distributions:
            raise RuntimeError(f"no installed distribution provides the module {package!r}")
        pins |= {f"{dist}=={importlib.metadata.version(dist)}" for dist in distributions[package]}
    return "".join(f"{pin}\n" for pin in sorted(pins, key=str.lower))


def notebook_bundle(name, executed, source, modules, snippets_dir, out, epoch):
    """Write the download of notebook ``name`` to ``out``: ``executed`` (.ipynb), the snippet ``modules``,
    requirements pinned for them and for the notebook's ``source`` (.py), and the command to run it."""
    snippets_dir = Path(snippets_dir)
    files = {f"snippets/{module}.py": snippets_dir / f"{module}.py" for module in ["__init__", *modules]}
    requirements = pinned_requirements(imported_packages([source, *files.values()]))
    readme = f"{name}.ipynb：动手试一试。在这个文件夹里运行\n\n    {run_command(name)}\n\n（需要 Python 3.11 或更新的版本。）\n"
    files |= {f"{name}.ipynb": Path(executed), "requirements.txt": requirements.encode(), "README.txt": readme.encode()}
    return write_zip({f"{name}/{path}": data for path, data in files.items()}, out, epoch)
