"""Notebooks: each ``docs/notebooks/<name>.py`` executed once per key, stored clean.

How it works
------------
* ``docs/notebooks/<name>.py`` is a jupytext percent-format notebook that imports the
  snippets. ``Notebooks`` executes the ones whose key changed (``cache.code_key``: the
  notebook's text and the snippets it imports) with nbclient, in a background thread, one
  after another in one kernel (started in the project folder so ``snippets`` imports; the
  user namespace is cleared between notebooks), while figures are drawn and pages built.
* The executed notebook is cleaned on the notebook object before it is stored: numbered
  cell ids, execution counts from 1, no timing metadata, and printed output merged into one
  stream (nbconvert's ``CoalesceStreamsPreprocessor``), figures compacted as the site's are
  (``figures.compact_svg``), so two builds write the same file.
  mkdocs-jupyter renders the stored notebook as is (``execute: false``), and ``downloads``
  packs the same file into the page's download.
* A failing cell stops the build with one line: the notebook, the cell, the snippet file
  and line if any, and the error (``notebook_failure``).
"""

import asyncio
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from sitebuild.cache import SnippetError, code_key, module_imports, shown, snippet_closure
from sitebuild.figures import compact_svg_data_uris


class Notebooks:
    """Executed notebooks, cached by key; the missing ones run in the background.

    ``start()`` returns ``{name: folder}`` at once, where ``folder/notebooks/<name>.ipynb``
    is (or will be) the executed notebook, and starts executing what is missing; ``wait()``
    blocks until those files exist, or raises ``SnippetError``.
    """

    def __init__(self, notebooks_dir, cache_dir, snippets_dir, requirements):
        self.sources = sorted(Path(notebooks_dir).glob("*.py"))
        self.folder = Path(cache_dir) / "notebooks"
        self.snippets_dir, self.requirements = Path(snippets_dir), Path(requirements)
        self.paths, self.missing, self.ran, self.error, self.thread = {}, [], [], None, None

    def key(self, source):
        try:
            modules = snippet_closure(module_imports(source), self.snippets_dir)
        except SnippetError as error:
            raise SnippetError(f"{shown(source)}: {error}") from error
        return code_key(source.read_bytes(), modules, self.snippets_dir, self.requirements, __file__)

    def modules(self, name):
        """The snippet modules the notebook ``name`` imports, directly or not, dependencies first."""
        source = next(s for s in self.sources if s.stem == name)
        return snippet_closure(module_imports(source), self.snippets_dir)

    def executed(self, name):
        """The executed notebook ``name`` (once ``wait()`` has returned)."""
        return self.paths[name] / "notebooks" / f"{name}.ipynb"

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        paths = {source.stem: self.folder / f"{source.stem}-{self.key(source)}" for source in self.sources}
        for stale in set(self.folder.iterdir()) - set(paths.values()):
            shutil.rmtree(stale)
        self.paths = paths
        self.missing = [
            (source, paths[source.stem] / "notebooks" / f"{source.stem}.ipynb")
            for source in self.sources
            if not (paths[source.stem] / "notebooks" / f"{source.stem}.ipynb").exists()
        ]
        self.ran = [source.stem for source, _ in self.missing]
        if self.missing:
            self.thread = threading.Thread(target=self._run_all, daemon=True)
            self.thread.start()
        return paths

    def wait(self):
        if self.thread:
            self.thread.join()
            self.thread = None
        if self.error:
            error, self.error = self.error, None
            raise error

    def _run_all(self):
        try:
            asyncio.run(execute_notebooks(self.missing, self.snippets_dir.parent))
        except Exception as error:
            self.error = error if isinstance(error, SnippetError) else SnippetError(f"notebooks: {error}")


async def execute_notebooks(jobs, project):
    """Execute each jupytext notebook ``source`` and store it, cleaned, at ``target``.

    One kernel runs them one after another (starting a kernel costs more than most of our
    notebooks), with the user namespace cleared in between, so each notebook still has to
    import what it uses. It starts in ``project``, which is also first on its import path, so that
    ``snippets`` is the project's. The kernel talks over Unix sockets in a private folder: no TCP port.
    """
    import jupytext
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    reset = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory() as sockets:
        manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets, "kernel")))
        await manager.start_kernel(cwd=str(project), env=env)
        try:
            for source, target in jobs:
                notebook = jupytext.read(source)
                notebook.metadata.pop("jupytext", None)  # the download is a plain notebook, not paired with a .py
                for number, cell in enumerate(notebook.cells, 1):
                    cell.id = f"cell-{number}"
                client = NotebookClient(notebook, km=manager, timeout=600, record_timing=False)
                try:
                    await client.async_execute()
                except CellExecutionError as error:
                    raise SnippetError(f"{shown(source)}: {notebook_failure(notebook, error)}") from error
                await NotebookClient(reset, km=manager).async_execute()
                notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
                for cell in notebook.cells:  # a result carries the shared kernel's count: use the cell's
                    for output in cell.get("outputs", []):
                        if "execution_count" in output:
                            output["execution_count"] = cell.execution_count
                        if "text/html" in output.get("data", {}):  # the figures of snippets.style.show, compacted
                            output["data"]["text/html"] = compact_svg_data_uris(output["data"]["text/html"])
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                partial = Path(target).with_suffix(".part")
                partial.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
                partial.replace(target)
        finally:
            await manager.shutdown_kernel(now=True)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def notebook_failure(notebook, error):
    """One line for a failed notebook: the cell, the snippet file and line if any, the error."""
    for number, cell in enumerate(notebook.cells, 1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
                frames = re.findall(r"File (\S*snippets[/\\]\w+\.py):(\d+)", trace)
                where = f"{shown(frames[-1][0])}:{frames[-1][1]}: " if frames else ""
                return f"cell {number}: {where}{output['ename']}: {output['evalue']}"
    return str(error).strip().splitlines()[-1]


