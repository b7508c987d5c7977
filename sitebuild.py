"""Build-time machinery of the site: figures, notebooks.

Plain functions, no MkDocs imports: `hooks.py` calls them from MkDocs events, and any
other generator (or a test) can call them the same way.

How it works
------------
* Figures. A snippet module lists its figures in a dict literal
  ``FIGURES = {"name": draw_function}``; each function takes no argument and returns a
  matplotlib Figure. ``build_figures`` reads the names with ``ast`` (no import), hashes
  the code that draws them (the module, every ``snippets`` module it imports, and the
  numpy/matplotlib versions) and keeps each SVG in ``<cache>/figures/<module>/<name>-<hash>.svg``.
  Only a figure whose file is missing is drawn, in this process, after reloading the
  modules involved (``mkdocs serve`` keeps them imported). Drawing writes to the cache,
  never to ``docs/``; the site gets the file as ``figures/<module>/<name>.svg``.
* SVGs are deterministic: ``snippets.style`` fixes ``svg.hashsalt`` and ``save_svg``
  drops the date, so the same code gives the same bytes.
* A figure that raises becomes ``FigureError``, whose message names the module and figure.
* Notebook pages (mkdocs-jupyter) need four repairs after rendering: they inline ~600 KB
  of CSS (``share_notebook_css`` moves it into one shared file), point at CDNs for MathJax
  and mermaid (``strip_notebook_cdn`` removes those loaders; ``mathrender`` typesets
  formulas at build time), carry random cell ids (``number_notebook_cells``) and show printed output
  cut into timing-dependent chunks (``merge_notebook_streams``); the last two keep builds
  byte-identical. ``slug_notebook_headings`` gives their headings Chinese anchors.
* ``label_for_readers`` names material's search dialog and makes notebook code focusable.
* The downloadable ``.ipynb`` comes from ``notebook_ipynb``.
"""

import ast
import hashlib
import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SNIPPETS = ROOT / "snippets"
NOT_CHAPTERS = {"__init__", "checks", "style"}


class FigureError(RuntimeError):
    """A snippet's figure function failed; the message names the module and the figure."""


def chapter_modules(snippets_dir=SNIPPETS):
    """Names of the snippet modules that are chapters (``predict``, ...), sorted."""
    return sorted(p.stem for p in Path(snippets_dir).glob("*.py") if p.stem not in NOT_CHAPTERS)


def figure_names(module_path):
    """The keys of the module's ``FIGURES = {...}`` dict literal, read without importing it."""
    tree = ast.parse(Path(module_path).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "FIGURES" for t in node.targets
        ):
            if not isinstance(node.value, ast.Dict) or not all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.value.keys
            ):
                raise FigureError(f"{module_path}: FIGURES must be a dict literal with string keys")
            return [k.value for k in node.value.keys]
    return []


def snippet_imports(module_path, snippets_dir=SNIPPETS):
    """All ``snippets`` modules the module imports, directly or through each other, itself included."""
    seen, todo = [], [Path(module_path).stem]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        tree = ast.parse((Path(snippets_dir) / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("snippets."):
                todo.append(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                todo += [a.name.split(".")[1] for a in node.names if a.name.startswith("snippets.")]
    return seen


def code_hash(module_path, snippets_dir=SNIPPETS):
    """Hash of the code that draws a module's figures, and of the libraries that draw them."""
    import matplotlib
    import numpy

    digest = hashlib.sha256(f"numpy {numpy.__version__} matplotlib {matplotlib.__version__}".encode())
    for name in sorted(snippet_imports(module_path, snippets_dir)):
        digest.update(name.encode() + b"\0")
        digest.update((Path(snippets_dir) / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def code_hash_all(snippets_dir=SNIPPETS):
    """Hash of every snippet module (what a notebook may import)."""
    digest = hashlib.sha256()
    for path in sorted(Path(snippets_dir).glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _fresh_module(name, snippets_dir=SNIPPETS):
    """Import ``snippets.<name>``; if already imported, reload it and the snippets it imports."""
    for dep in reversed(snippet_imports(Path(snippets_dir) / f"{name}.py", snippets_dir)):
        full = f"snippets.{dep}"
        if full in sys.modules:
            importlib.reload(sys.modules[full])
    return importlib.import_module(f"snippets.{name}")


def build_figures(cache_dir, snippets_dir=SNIPPETS):
    """Draw what is missing; return ``({site path: cached SVG path}, how many were drawn)``.

    Modules are imported as ``snippets.<name>``, so ``snippets_dir`` must hold the files of
    the ``snippets`` package that Python imports (the project's own, or a copy first on sys.path).
    """
    figures, drawn = {}, 0
    for module in chapter_modules(snippets_dir):
        module_path = Path(snippets_dir) / f"{module}.py"
        names = figure_names(module_path)
        if not names:
            continue
        key = code_hash(module_path, snippets_dir)
        folder = Path(cache_dir) / "figures" / module
        folder.mkdir(parents=True, exist_ok=True)
        wanted = {name: folder / f"{name}-{key}.svg" for name in names}
        missing = [name for name, path in wanted.items() if not path.exists()]
        if missing:
            loaded = _fresh_module(module, snippets_dir)
            from snippets.style import save_svg

            for name in missing:
                try:
                    figure = loaded.FIGURES[name]()
                    partial = wanted[name].with_suffix(".part")
                    save_svg(figure, partial)
                except Exception as error:
                    raise FigureError(
                        f"snippets/{module}.py: figure '{name}' failed: {type(error).__name__}: {error}"
                    ) from error
                partial.replace(wanted[name])
                drawn += 1
        for stale in set(folder.glob("*.svg")) - set(wanted.values()):
            stale.unlink()
        for name, path in wanted.items():
            figures[f"figures/{module}/{name}.svg"] = path
    return figures, drawn


def svg_size(path):
    """Width and height of a matplotlib SVG in CSS pixels (it writes them in points)."""
    head = Path(path).read_text(encoding="utf-8")[:2000]
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"', head)
    if not size:
        raise FigureError(f"{path}: no width/height in points in the <svg> element")
    return round(float(size[1]) * 4 / 3), round(float(size[2]) * 4 / 3)


def notebook_ipynb(py_path):
    """The jupytext percent-format notebook ``py_path`` as ``.ipynb`` text, without outputs.

    Cells get numbered ids instead of random ones, so two builds write the same file.
    """
    import jupytext

    notebook = jupytext.read(py_path)
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{number}"
    return jupytext.writes(notebook, fmt="ipynb")


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


def number_notebook_cells(html):
    """Replace the random cell ids that jupytext gives a notebook page with numbered ones."""
    counter = iter(range(1, 1_000_000))
    return re.sub(r'id="cell-id=[0-9a-f-]+"', lambda _: f'id="nb-cell-{next(counter)}"', html)


_STREAM_SEAM = re.compile(
    r'</pre>\s*</div>\s*</div>\s*<div class="jp-OutputArea-child">\s*'
    r'<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>\s*'
    r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain" tabindex="0">\s*<pre>'
)


def merge_notebook_streams(html):
    """Join a cell's printed output back into one block.

    The kernel sends what a cell prints in chunks, cut wherever the cell paused long
    enough; nbconvert shows each chunk as its own output. Where the cuts fall depends
    on timing, so joining the chunks is what makes two builds agree.
    """
    return _STREAM_SEAM.sub("", html)


_STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
_CDN_LOADERS = [
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S),
    re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>', re.S),
]


def strip_notebook_cdn(html):
    """Remove nbconvert's MathJax and mermaid loaders (they fetch from CDNs)."""
    for pattern in _CDN_LOADERS:
        html = pattern.sub("", html)
    return html


def share_notebook_css(html, href_of):
    """Move the inline ``<style>`` blocks of a notebook page into one shared stylesheet.

    Returns ``(site path of the stylesheet, its CSS, the page without the blocks)``; the
    first block becomes a ``<link>`` to ``href_of(site path)``. Pages with the same CSS
    share the same file, since its name is a hash of its content.
    """
    blocks = _STYLE.findall(html)
    if not blocks:
        return None, "", html
    css = "\n".join(block.strip() for block in blocks)
    name = f"assets/stylesheets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    link = f'<link rel="stylesheet" href="{href_of(name)}">'
    html = _STYLE.sub("", html.replace(_STYLE.search(html)[0], link, 1))
    return name, css, html


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
        html = html.replace('<div class="highlight-ipynb hl-python">', '<div class="highlight-ipynb hl-python" tabindex="0">')
    return html
