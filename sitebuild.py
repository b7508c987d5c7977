"""Build-time machinery of the site: figures, page outputs, notebooks.

Plain functions and three small classes, no MkDocs imports: ``hooks.py`` calls them from
MkDocs events, and a test (or any other generator) can call them the same way.

How it works
------------
Everything the build computes from the snippets is cached under one folder
(``.cache/`` or ``$SITE_CACHE_DIR``), keyed like a compiler keys its objects: by the bytes
of the code that produced it. A key is a hash of ``requirements.txt`` (the libraries and
the font), this file (how things are made), the input's own text, and every ``snippets``
module it imports, directly or through other snippets (``snippet_closure`` reads the
imports with ``ast``, without importing anything). Edit one module and only what imports
it is computed again; with nothing changed, no snippet code runs at all. Entries no
longer wanted are deleted.

* Figures. A snippet module lists its figures in a dict literal
  ``FIGURES = {"name": draw_function}``; each function takes no argument and returns a
  matplotlib Figure. Each is drawn twice, inside ``snippets.style.palette("light")`` and
  ``palette("dark")`` (the style's colour names stand for that palette's colours while it
  draws), and kept as ``<cache>/figures/<module>/<name>[-dark]-<key>.svg``; ``Figures``
  starts another process (``python sitebuild.py figures …``, which calls ``build_figures``)
  to draw the missing ones while the pages are built. The site gets the files as
  ``figures/<module>/<name>.svg`` and ``<name>-dark.svg``; ``dark_twins`` turns a page's
  ``![说明](figures/m/n.svg)`` into the pair marked ``#only-light`` / ``#only-dark``, so
  mkdocs-material shows the one for the reader's palette. ``snippets.style`` fixes
  ``svg.hashsalt`` and drops the date, so the same code gives the same bytes.
* Page outputs. markdown-exec runs the ``exec="on"`` blocks of a page in one session and
  has no cache of its own. ``PageOutputs`` wraps its formatter: the key of a page is its
  exec blocks (as written, includes unexpanded) plus the closure of the snippet modules
  they include or import. On a hit the stored HTML of every block is returned and nothing
  runs; on a miss the page's modules are reloaded and every block runs in order, so the
  session sees what earlier blocks defined. A block that raises stops the build with one
  line naming the page and the snippet file and line (``SnippetError``).
* Notebooks. ``docs/notebooks/<name>.py`` is a jupytext notebook. ``Notebooks`` executes
  the ones whose key changed with nbclient, in a background thread, one after another in
  one kernel (started in the project folder so ``snippets`` imports; the user namespace is
  cleared between notebooks), while figures are drawn and pages built. The executed notebook
  is cleaned on the notebook object before it is stored: numbered cell ids, execution counts
  from 1, no timing metadata, and printed output merged into one stream (nbconvert's
  ``CoalesceStreamsPreprocessor``), so two builds write the same file.
  mkdocs-jupyter renders the stored notebook as is (``execute: false``); the same file is
  the downloadable ``notebooks/<name>.ipynb``.
* Processes. Figures, the notebook kernel and the pages are computed side by side, each
  with small matrix products; importing this module sets ``OPENBLAS_NUM_THREADS`` (and its
  kin) to 1 unless it is set already, before numpy loads, and the other two processes
  inherit it. With a pool of spinning BLAS threads in each of three processes, a 2-core
  machine took twice as long for a clean build.
* One BLAS kernel on every x86 machine. numpy's OpenBLAS picks its matrix-product kernel
  by CPU, and its AVX-512 kernel ("SkylakeX") sums in another order than the AVX2 one
  ("Haswell"): the streetlights' errors then differ from the book's notebook in the last
  digit. Importing this module sets ``OPENBLAS_CORETYPE=Haswell`` where the CPU has AVX2
  and FMA (and the variable is not set already), so every machine that builds the site
  prints the same digits as the notebook (``blas_kernel``).
* Repairs of rendered notebook HTML that no input can avoid are one small function each
  (``drop_notebook_css``, ``drop_notebook_scripts``, ``drop_copy_buttons``,
  ``slug_notebook_headings``); the site's own ``stylesheets/notebook.css`` styles the cells. And
  ``label_for_readers`` fixes two accessibility gaps in the theme's and nbconvert's markup.
  Each has a test that fails when the upstream markup changes.
"""

import ast
import asyncio
import functools
import hashlib
import importlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path



def blas_kernel(cpuinfo="/proc/cpuinfo"):
    """The OpenBLAS kernel the build asks for: ``"Haswell"`` on an x86 CPU with AVX2 and FMA, else None
    (another CPU keeps OpenBLAS's own choice; module docstring, "One BLAS kernel")."""
    try:
        flags = next((line.split(":", 1)[1].split() for line in Path(cpuinfo).read_text().splitlines()
                      if line.startswith("flags")), [])
    except OSError:
        return None
    return "Haswell" if {"avx2", "fma"} <= set(flags) else None


# One BLAS thread per process, one kernel per CPU family (module docstring): before numpy is imported.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")
if blas_kernel():
    os.environ.setdefault("OPENBLAS_CORETYPE", blas_kernel())

ROOT = Path(__file__).resolve().parent
SNIPPETS = ROOT / "snippets"
REQUIREMENTS = ROOT / "requirements.txt"
NOT_PAGES = {"__init__", "checks", "style"}


class SnippetError(RuntimeError):
    """Snippet code failed at build time; the message is one line naming where."""


# --- Keys: what a computed thing depends on ---------------------------------------------


def parse(path):
    """The module at ``path`` as an ``ast`` tree; a syntax error names the file and line."""
    text = Path(path).read_text(encoding="utf-8")
    return _parse(text, str(path))


@functools.lru_cache(maxsize=256)
def _parse(text, path):
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as error:
        raise SnippetError(f"{_shown(path)}:{error.lineno}: SyntaxError: {error.msg}") from error


def module_imports(path):
    """Names of the ``snippets`` modules the file at ``path`` imports (remembered while the file is unchanged)."""
    text = Path(path).read_text(encoding="utf-8")
    return _module_imports(text, str(path))


@functools.lru_cache(maxsize=256)
def _module_imports(text, path):
    return tuple(_imported_snippets(_parse(text, path)))


def page_of(module):
    """The page that shows a snippet module: ``snippets/hot_cold.py`` belongs to ``docs/hot-cold.md``."""
    return f"docs/{module.replace('_', '-')}.md"


def _shown(path):
    """A path as the reader of an error message knows it: relative to the project."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _imported_snippets(tree):
    """Names of the ``snippets`` modules an ``ast`` tree imports."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("snippets."):
            found.append(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found += [a.name.split(".")[1] for a in node.names if a.name.startswith("snippets.")]
    return found


def snippet_closure(names, snippets_dir=SNIPPETS):
    """The snippet modules ``names`` stand for plus all they import, dependencies first."""
    order, visiting = [], set()

    def visit(name):
        if name in order or name in visiting:
            return
        visiting.add(name)
        for dependency in module_imports(Path(snippets_dir) / f"{name}.py"):
            visit(dependency)
        order.append(name)

    for name in names:
        visit(name)
    return order


def snippet_imports(module_path, snippets_dir=SNIPPETS):
    """A module and all the snippet modules it imports, dependencies first."""
    return snippet_closure([Path(module_path).stem], snippets_dir)


def code_key(text, modules, snippets_dir=SNIPPETS, requirements=REQUIREMENTS):
    """Hash of ``text``, of the given snippet modules' bytes, of ``requirements.txt`` and of this file."""
    digest = hashlib.sha256(Path(requirements).read_bytes() + Path(__file__).read_bytes())
    digest.update(b"\0" + (text if isinstance(text, bytes) else text.encode()))
    for name in sorted(modules):
        digest.update(b"\0" + name.encode() + b"\0" + (Path(snippets_dir) / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def _import_or_fail(names, context):
    """``fresh_modules``, with an error that raises while importing turned into one line."""
    try:
        fresh_modules(names)
    except Exception as error:
        raise SnippetError(f"{context}: {_where(error)}{type(error).__name__}: {error}") from error


def fresh_modules(names):
    """Import ``snippets.<name>`` for each name (dependencies first); reload those already imported."""
    for name in names:
        full = f"snippets.{name}"
        if full in sys.modules:
            importlib.reload(sys.modules[full])
        else:
            importlib.import_module(full)


def page_modules(snippets_dir=SNIPPETS):
    """Names of the snippet modules that belong to a page (``predict``, ...), sorted."""
    return sorted(p.stem for p in Path(snippets_dir).glob("*.py") if p.stem not in NOT_PAGES)


# --- Figures -----------------------------------------------------------------------------


def figure_names(module_path):
    """The keys of the module's ``FIGURES = {...}`` dict literal, read without importing it."""
    for node in parse(module_path).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "FIGURES" for t in node.targets
        ):
            if not isinstance(node.value, ast.Dict) or not all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.value.keys
            ):
                raise SnippetError(f"{_shown(module_path)}: FIGURES must be a dict literal with string keys")
            return [k.value for k in node.value.keys]
    return []


# Each figure is drawn once per palette of ``snippets.style``: the light one is published as
# ``<name>.svg``, the dark one as ``<name>-dark.svg``.
VARIANTS = {"light": "", "dark": "-dark"}


def figure_files(cache_dir, snippets_dir=SNIPPETS):
    """``{module: {(figure name, palette): cached SVG path}}`` for every figure, drawn or not; removes stale SVGs."""
    files = {}
    for module in page_modules(snippets_dir):
        module_path = Path(snippets_dir) / f"{module}.py"
        try:
            names = figure_names(module_path)
            key = code_key(b"figures", snippet_imports(module_path, snippets_dir), snippets_dir) if names else ""
        except SnippetError as error:
            raise SnippetError(f"{page_of(module)}: {error}") from error
        folder = Path(cache_dir) / "figures" / module
        files[module] = {(name, palette): folder / f"{name}{suffix}-{key}.svg"
                         for name in names for palette, suffix in VARIANTS.items()}
        if folder.is_dir():
            for stale in set(folder.glob("*.svg")) - set(files[module].values()):
                stale.unlink()
    return files


def site_figures(files):
    """``{site path: cached SVG}``: where each figure is published (``figures/<module>/<name>[-dark].svg``)."""
    return {f"figures/{module}/{name}{VARIANTS[palette]}.svg": path
            for module, drawn in files.items() for (name, palette), path in drawn.items()}


def missing_figures(files):
    """``[(module, figure name)]`` for the figures with an SVG missing in either palette."""
    missing = [(module, name) for module, drawn in files.items() for (name, _), path in drawn.items()
               if not path.exists()]
    return list(dict.fromkeys(missing))


_FIGURE_IMAGE = re.compile(r"^([ \t]*)(!\[[^\]\n]*\]\()((?:\.\./)*figures/\w+/\w+)\.svg\)[ \t]*$", re.M)


def dark_twins(markdown):
    """Give each figure of a page its dark twin, in mkdocs-material's convention for the two palettes.

    A figure on a line of its own, ``![说明](figures/m/n.svg)``, becomes the light SVG marked
    ``#only-light`` followed by ``figures/m/n-dark.svg`` marked ``#only-dark``, with the same
    text: the theme shows the one for the reader's palette and hides (so never loads) the other.
    """
    return _FIGURE_IMAGE.sub(r"\1\2\3.svg#only-light)\2\3-dark.svg#only-dark)", markdown)


def build_figures(cache_dir, snippets_dir=SNIPPETS):
    """Draw what is missing, in this process; return ``({site path: cached SVG}, how many SVGs were drawn)``.

    Each missing figure is drawn in every palette of ``snippets.style`` (``with palette(...)``).
    Modules are imported as ``snippets.<name>``, so ``snippets_dir`` must hold the files of
    the ``snippets`` package that Python imports (the project's own, or a copy first on sys.path).
    """
    files = figure_files(cache_dir, snippets_dir)
    missing = missing_figures(files)
    for module in dict.fromkeys(module for module, _ in missing):
        _import_or_fail(snippet_imports(Path(snippets_dir) / f"{module}.py", snippets_dir), page_of(module))
        loaded = sys.modules[f"snippets.{module}"]
        from snippets.style import palette, save_svg

        for name in [name for m, name in missing if m == module]:
            for variant in VARIANTS:
                path = files[module][name, variant]
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".part")
                try:
                    with palette(variant):
                        save_svg(loaded.FIGURES[name](), partial)
                except Exception as error:
                    raise SnippetError(
                        f"{page_of(module)}: {_where(error)}figure '{name}' failed: {type(error).__name__}: {error}"
                    ) from error
                partial.replace(path)
    return site_figures(files), len(missing) * len(VARIANTS)


class Figures:
    """The site's figures; the missing ones are drawn in another process while pages are built.

    ``start()`` returns ``{site path: cached SVG}`` at once; ``wait()`` blocks until every
    file exists, or raises ``SnippetError`` with the drawing process's one-line error.
    """

    def __init__(self, cache_dir, snippets_dir=SNIPPETS):
        self.cache_dir, self.snippets_dir = Path(cache_dir), Path(snippets_dir)
        self.drawing, self.process = 0, None

    def start(self):
        files = figure_files(self.cache_dir, self.snippets_dir)
        self.drawing = len(missing_figures(files)) * len(VARIANTS)
        if self.drawing:
            command = [sys.executable, __file__, "figures", str(self.cache_dir), str(self.snippets_dir)]
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return site_figures(files)

    def wait(self):
        if self.process:
            process, self.process = self.process, None
            _, errors = process.communicate()
            if process.returncode:
                lines = [line for line in errors.splitlines() if line.strip()]
                raise SnippetError(lines[-1] if lines else f"drawing the figures failed ({process.returncode})")


def _where(error):
    """``snippets/x.py:18: `` for the innermost traceback frame in a snippet, or nothing."""
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        return f"{_shown(error.filename)}:{error.lineno}: "
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f"{os.sep}snippets{os.sep}" in f.filename]
    return f"{_shown(frames[-1].filename)}:{frames[-1].lineno}: " if frames else ""


def svg_size(path):
    """Width and height of a matplotlib SVG in CSS pixels (it writes them in points)."""
    head = Path(path).read_text(encoding="utf-8")[:2000]
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"', head)
    if not size:
        raise SnippetError(f"{path}: no width/height in points in the <svg> element")
    return round(float(size[1]) * 4 / 3), round(float(size[2]) * 4 / 3)


# --- Page outputs (markdown-exec) --------------------------------------------------------

_EXEC_FENCE = re.compile(r"^([ \t]*)(`{3,})python\b[^\n]*\bexec=\"on\"[^\n]*\n(.*?)^\1\2[ \t]*$", re.M | re.S)
_INCLUDE = re.compile(r'--8<--\s+"snippets/(\w+)\.py')


def exec_blocks(markdown):
    """The ``exec="on"`` Python blocks of a page, as written (fence line and body)."""
    return [match[0] for match in _EXEC_FENCE.finditer(markdown)]


class PageOutputs:
    """markdown-exec's formatter with a cache: a page's outputs are computed once per key.

    ``begin(page, markdown)`` before the page is converted, ``wrap(formatter)`` as the
    fence's formatter, ``end()`` after; ``prune()`` once the build is done.
    """

    def __init__(self, cache_dir, snippets_dir=SNIPPETS):
        self.folder = Path(cache_dir) / "outputs"
        self.snippets_dir = snippets_dir
        self.used, self.ran = set(), []
        self.page = self.path = self.stored = None
        self.made = []

    def begin(self, page, markdown):
        blocks = exec_blocks(markdown)
        self.page, self.made = f"docs/{page}", []
        if not blocks:
            self.path = self.stored = None
            return
        try:
            modules = snippet_closure(sorted(set(_INCLUDE.findall("\n".join(blocks)))), self.snippets_dir)
        except SnippetError as error:
            raise SnippetError(f"{self.page}: {error}") from error
        key = code_key("\n".join(blocks), modules, self.snippets_dir)
        name = re.sub(r"[^\w-]+", "_", page)
        self.path = self.folder / f"{name}-{key}.json"
        self.used.add(self.path)
        self.stored = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else None
        if self.stored is None:
            self.ran.append(page)
            _import_or_fail(modules, self.page)

    def wrap(self, formatter):
        def cached_formatter(source, language, css_class, options, md, **kwargs):
            if self.stored is not None:
                if len(self.made) >= len(self.stored):
                    raise SnippetError(f"{self.page}: more exec blocks than its cached outputs; delete {self.path}")
                html = self.stored[len(self.made)]
            else:
                html = self._run(formatter, source, language, css_class, options, md, **kwargs)
            self.made.append(str(html))
            return html

        return cached_formatter

    def _run(self, formatter, *args, **kwargs):
        failures = _Collect()
        logger = logging.getLogger("mkdocs.plugins.markdown_exec")
        logger.addHandler(failures)
        try:
            html = formatter(*args, **kwargs)
        finally:
            logger.removeHandler(failures)
        if failures.messages:
            raise SnippetError(f"{self.page}: {_first_failure(failures.messages[0])}")
        return html

    def end(self):
        if self.path and self.stored is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".part")
            partial.write_text(json.dumps(self.made, ensure_ascii=False), encoding="utf-8")
            partial.replace(self.path)
        self.page = self.path = self.stored = None

    def prune(self):
        if self.folder.is_dir():
            for stale in set(self.folder.glob("*.json")) - self.used:
                stale.unlink()
        self.used.clear()


class _Collect(logging.Handler):
    """Collects the warnings markdown-exec logs when a block raises."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


_FRAME = re.compile(r'File "([^"]*)", line (\d+)')


def _first_failure(message):
    """One line from markdown-exec's failure report: the snippet file and line, and the error."""
    output = message.split("Output is:", 1)[-1]
    lines = [line.strip() for line in output.splitlines() if line.strip() and not line.strip().startswith("```")]
    error = lines[-1] if lines else "the block failed"
    frames = [(f, n) for f, n in _FRAME.findall(output) if f"{os.sep}snippets{os.sep}" in f]
    if frames:
        return f"{_shown(frames[-1][0])}:{frames[-1][1]}: {error}"
    blocks = _FRAME.findall(output)
    return f"{blocks[-1][0]}, line {blocks[-1][1]}: {error}" if blocks else error


# --- Notebooks ---------------------------------------------------------------------------


class Notebooks:
    """Executed notebooks, cached by key; the missing ones run in the background.

    ``start()`` returns ``{name: folder}`` at once, where ``folder/notebooks/<name>.ipynb``
    is (or will be) the executed notebook, and starts executing what is missing; ``wait()``
    blocks until those files exist, or raises ``SnippetError``.
    """

    def __init__(self, notebooks_dir, cache_dir, snippets_dir=SNIPPETS):
        self.sources = sorted(Path(notebooks_dir).glob("*.py"))
        self.folder = Path(cache_dir) / "notebooks"
        self.snippets_dir = snippets_dir
        self.paths, self.missing, self.ran, self.error, self.thread = {}, [], [], None, None

    def key(self, source):
        try:
            modules = snippet_closure(module_imports(source), self.snippets_dir)
        except SnippetError as error:
            raise SnippetError(f"{_shown(source)}: {error}") from error
        return code_key(source.read_bytes(), modules, self.snippets_dir)

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
            asyncio.run(execute_notebooks(self.missing))
        except Exception as error:
            self.error = error if isinstance(error, SnippetError) else SnippetError(f"notebooks: {error}")


async def execute_notebooks(jobs):
    """Execute each jupytext notebook ``source`` and store it, cleaned, at ``target``.

    One kernel runs them one after another (starting a kernel costs more than most of our
    notebooks), with the user namespace cleared in between, so each notebook still has to
    import what it uses. The kernel talks over Unix sockets in a private folder: no TCP port.
    """
    import jupytext
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    reset = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory() as sockets:
        manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets, "kernel")))
        await manager.start_kernel(cwd=str(ROOT), env=env)
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
                    raise SnippetError(f"{_shown(source)}: {notebook_failure(notebook, error)}") from error
                await NotebookClient(reset, km=manager).async_execute()
                notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
                for cell in notebook.cells:  # a result carries the shared kernel's count: use the cell's
                    for output in cell.get("outputs", []):
                        if "execution_count" in output:
                            output["execution_count"] = cell.execution_count
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
                where = f"{_shown(frames[-1][0])}:{frames[-1][1]}: " if frames else ""
                return f"cell {number}: {where}{output['ename']}: {output['evalue']}"
    return str(error).strip().splitlines()[-1]


# --- Repairs of rendered notebook pages ---------------------------------------------------

_NB_HEADING = re.compile(r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">', re.S)


def slug_notebook_headings(html):
    """Give notebook headings the same Chinese-keeping anchors as the Markdown pages.

    nbconvert leaves Chinese headings with ``id=""``. Returns the fixed page and
    ``{heading text: anchor}`` so the caller can point the table of contents at them.
    """
    from pymdownx.slugs import slugify

    slug, anchors = slugify(case="lower"), {}

    def fix(match):
        text = re.sub(r"<[^>]+>", "", match[2]).strip()
        anchor = base = slug(text, "-") or "section"
        n = 1
        while anchor in anchors.values():
            anchor, n = f"{base}_{n}", n + 1
        anchors[text] = anchor
        return f'<h{match[1]} id="{anchor}">{match[2]}<a class="anchor-link" href="#{anchor}">'

    return _NB_HEADING.sub(fix, html), anchors


_STYLE = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.S)
_COPY_BUTTON = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>\s*', re.S)
_COPY_TEXT = re.compile(r'<div (?=[^>]*class="clipboard-copy-txt")[^>]*>.*?</div>\s*', re.S)


def drop_notebook_css(html):
    """Remove the ~590 KB of JupyterLab CSS nbconvert inlines; ``stylesheets/notebook.css`` styles the cells."""
    return _STYLE.sub("", html)


def drop_notebook_scripts(html):
    """Remove nbconvert's scripts: the copy-button polyfill and the MathJax and mermaid loaders (from CDNs)."""
    return _SCRIPT.sub("", html)


def drop_copy_buttons(html):
    """Remove the copy button over each code cell and the hidden copy of its source that goes with it."""
    return _COPY_TEXT.sub("", _COPY_BUTTON.sub("", html))


def label_for_readers(html, notebook):
    """Two accessibility fixes to markup that the theme and nbconvert write.

    Material's search box is a dialog with no name: call it 搜索. A notebook's code cell
    scrolls sideways but cannot take the keyboard focus: let it.
    """
    html = html.replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="搜索">',
    )
    if notebook:
        html = html.replace('<div class="highlight-ipynb hl-python highlight">',
                            '<div class="highlight-ipynb hl-python highlight" tabindex="0">')
    return html


if __name__ == "__main__":
    # `python sitebuild.py figures CACHE SNIPPETS`: how Figures draws in another process.
    if sys.argv[1:2] == ["figures"] and len(sys.argv) == 4:
        try:
            build_figures(Path(sys.argv[2]), Path(sys.argv[3]))
        except SnippetError as error:
            sys.exit(str(error))
    else:
        sys.exit("usage: python sitebuild.py figures CACHE_DIR SNIPPETS_DIR")
