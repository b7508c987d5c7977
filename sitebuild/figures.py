"""Figures: every snippet's ``FIGURES``, drawn as SVG in the light and the dark palette, cached.

How it works
------------
* A snippet module lists its figures in a dict literal ``FIGURES = {"name": entry}``. An entry
  is a drawing function that takes no argument and returns a matplotlib Figure, or a pair
  ``(data, draw)``: ``data()`` computes what the figure shows (a training run, say) once,
  and ``draw(result)`` draws it. Each figure is drawn twice, inside
  ``snippets.style.palette("light")`` and ``palette("dark")`` (the style's colour names
  stand for that palette's colours while it draws and saves), so a pair's data is computed
  once for both.
* The SVGs are kept as ``<cache>/figures/<module>/<name>[-dark]-<key>.svg``, keyed by the
  module and every snippet it imports (``cache.code_key``). ``Figures`` starts another
  process (``python -m sitebuild.figures …``, which calls ``build_figures``) to draw the
  missing ones while the pages are built, and ``wait()`` returns when they exist.
* The site gets the files as ``figures/<module>/<name>.svg`` and ``<name>-dark.svg``;
  ``dark_twins`` turns a page's ``![说明](figures/m/n.svg)`` into the pair marked
  ``#only-light`` / ``#only-dark``, so mkdocs-material shows the one for the reader's palette,
  and ``add_sizes`` gives every figure ``<img>`` its width and height, so the page does not
  jump while it loads. ``snippets.style`` fixes ``svg.hashsalt`` and drops the date, so the
  same code gives the same bytes.
"""

import ast
import base64
import io
import posixpath
import re
import subprocess
import sys
from pathlib import Path

from sitebuild.cache import SnippetError, code_key, import_or_fail, page_modules, page_of, parse, shown, \
    snippet_closure, where

# Each figure is drawn once per palette of ``snippets.style``: the light one is published as
# ``<name>.svg``, the dark one as ``<name>-dark.svg``.
VARIANTS = {"light": "", "dark": "-dark"}


def figure_names(module_path):
    """The keys of the module's ``FIGURES = {...}`` dict literal, read without importing it."""
    for node in parse(module_path).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "FIGURES" for t in node.targets
        ):
            if not isinstance(node.value, ast.Dict) or not all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.value.keys
            ):
                raise SnippetError(f"{shown(module_path)}: FIGURES must be a dict literal with string keys")
            return [k.value for k in node.value.keys]
    return []


def drawings(entry):
    """A ``FIGURES`` entry drawn in each palette: ``(palette, Figure)`` pairs, one at a time.

    A ``(data, draw)`` entry's data is computed once, before the first drawing. Save each figure
    before asking for the next: the palette's colours are looked up when the figure is saved,
    and the next palette starts with the next pair.
    """
    from snippets.style import palette

    if isinstance(entry, tuple):
        data, draw = entry
        args = (data(),)
    else:
        draw, args = entry, ()
    for variant in VARIANTS:
        with palette(variant):
            yield variant, draw(*args)


def figure_files(cache_dir, snippets_dir, requirements):
    """``{module: {(figure name, palette): cached SVG path}}`` for every figure, drawn or not; removes stale SVGs."""
    files = {}
    for module in page_modules(snippets_dir):
        module_path = Path(snippets_dir) / f"{module}.py"
        try:
            names = figure_names(module_path)
            modules = snippet_closure([module], snippets_dir)
            key = code_key(b"figures", modules, snippets_dir, requirements, __file__) if names else ""
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


_NUMBER = re.compile(rb"-?\d+\.\d+")


def _two_decimals(match):
    """A coordinate in points, to 0.01 pt (a hundredth of a point is far below a screen pixel or a printer dot)."""
    text = b"%.2f" % float(match[0])
    text = text.rstrip(b"0").rstrip(b".")
    return b"0" if text in (b"-0", b"") else text


def _path_data(match):
    data = _NUMBER.sub(_two_decimals, match[1])
    data = re.sub(rb"\s+", b" ", data).strip()
    return b' d="' + re.sub(rb" ?([MLCQZz]) ?", rb"\1", data) + b'"'


def compact_svg(svg):
    """The same drawing in about four fifths of the bytes: matplotlib's SVG less what no reader sees.

    * the ``<metadata>`` block (only the format's name: the date and the creator are already left out);
    * in path data, the line breaks and the spaces around commands, and every coordinate beyond two
      decimals (matplotlib writes six; the glyph outlines are whole font units and keep theirs);
    * the same two decimals in the ``translate(...)`` that places each glyph and in the ``x``, ``y`` that
      place each marker (``scale(...)`` keeps all its digits: it multiplies);
    * the indentation between tags (the figures hold no text nodes: glyphs are paths).

    Deterministic, so the same figure still gives the same bytes.
    """
    svg = re.sub(rb"\s*<metadata>.*?</metadata>", b"", svg, flags=re.S)
    svg = re.sub(rb' d="([^"]*)"', _path_data, svg)
    svg = re.sub(rb"translate\(([^)]*)\)", lambda m: b"translate(" + _NUMBER.sub(_two_decimals, m[1]) + b")", svg)
    svg = re.sub(rb' ([xy])="(-?\d+\.\d+)"', lambda m: b" " + m[1] + b'="' + _NUMBER.sub(_two_decimals, m[2]) + b'"', svg)
    return re.sub(rb">\s+<", b"><", svg)


_SVG_DATA_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")


def compact_svg_data_uris(html):
    """``html`` with every embedded SVG figure (a notebook's ``data:image/svg+xml;base64,`` image) compacted."""

    def compact(match):
        svg = compact_svg(base64.b64decode(match[1]))
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")

    return _SVG_DATA_URI.sub(compact, html)


def build_figures(cache_dir, snippets_dir, requirements):
    """Draw what is missing, in this process; return ``({site path: cached SVG}, how many SVGs were drawn)``.

    Modules are imported as ``snippets.<name>``, so ``snippets_dir`` must hold the files of
    the ``snippets`` package that Python imports (the project's own, or a copy first on sys.path).
    """
    from snippets.style import save_svg

    files = figure_files(cache_dir, snippets_dir, requirements)
    missing = missing_figures(files)
    for module in dict.fromkeys(module for module, _ in missing):
        import_or_fail(snippet_closure([module], snippets_dir), page_of(module))
        loaded = sys.modules[f"snippets.{module}"]
        for name in [name for m, name in missing if m == module]:
            try:
                for variant, figure in drawings(loaded.FIGURES[name]):
                    path = files[module][name, variant]
                    path.parent.mkdir(parents=True, exist_ok=True)
                    buffer = io.BytesIO()
                    save_svg(figure, buffer)
                    path.with_suffix(".part").write_bytes(compact_svg(buffer.getvalue()))
                    path.with_suffix(".part").replace(path)
            except Exception as error:
                raise SnippetError(
                    f"{page_of(module)}: {where(error)}figure '{name}' failed: {type(error).__name__}: {error}"
                ) from error
    return site_figures(files), len(missing) * len(VARIANTS)


class Figures:
    """The site's figures; the missing ones are drawn in another process while pages are built.

    ``start()`` returns ``{site path: cached SVG}`` at once; ``wait()`` blocks until every
    file exists, or raises ``SnippetError`` with the drawing process's one-line error.
    """

    def __init__(self, cache_dir, snippets_dir, requirements):
        self.cache_dir, self.snippets_dir, self.requirements = Path(cache_dir), Path(snippets_dir), Path(requirements)
        self.drawing, self.process = 0, None

    def start(self):
        files = figure_files(self.cache_dir, self.snippets_dir, self.requirements)
        self.drawing = len(missing_figures(files)) * len(VARIANTS)
        if self.drawing:
            # run from the project, so that the process imports the project's own snippets (and this package)
            command = [sys.executable, "-m", "sitebuild.figures", str(self.cache_dir), str(self.snippets_dir),
                       str(self.requirements)]
            self.process = subprocess.Popen(command, cwd=self.snippets_dir.parent, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE, text=True)
        return site_figures(files)

    def wait(self):
        if self.process:
            process, self.process = self.process, None
            _, errors = process.communicate()
            if process.returncode:
                lines = [line for line in errors.splitlines() if line.strip()]
                raise SnippetError(lines[-1] if lines else f"drawing the figures failed ({process.returncode})")


_FIGURE_IMAGE = re.compile(r"^([ \t]*)(!\[[^\]\n]*\]\()((?:\.\./)*figures/\w+/\w+)\.svg\)[ \t]*$", re.M)


def dark_twins(markdown):
    """Give each figure of a page its dark twin, in mkdocs-material's convention for the two palettes.

    A figure on a line of its own, ``![说明](figures/m/n.svg)``, becomes the light SVG marked
    ``#only-light`` followed by ``figures/m/n-dark.svg`` marked ``#only-dark``, with the same
    text: the theme shows the one for the reader's palette and hides (so never loads) the other.
    """
    return _FIGURE_IMAGE.sub(r"\1\2\3.svg#only-light)\2\3-dark.svg#only-dark)", markdown)


def svg_size(path):
    """Width and height of a matplotlib SVG in CSS pixels (it writes them in points)."""
    head = Path(path).read_text(encoding="utf-8")[:2000]
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"', head)
    if not size:
        raise SnippetError(f"{path}: no width/height in points in the <svg> element")
    return round(float(size[1]) * 4 / 3), round(float(size[2]) * 4 / 3)


_IMG = re.compile(r'<img (?=[^>]*src="([^"#]*figures/[^"#]+\.svg)(?:#[^"]*)?")(?![^>]*\swidth=)')


def add_sizes(html, page_url, sizes, lazy=True):
    """Give every figure ``<img>`` of a page (at ``page_url``) its width and height from ``sizes``
    (``{site path: (width, height)}``); ``lazy`` also lets the browser load it when it comes into view."""

    def add_size(match):
        site_path = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), match[1]))
        if site_path not in sizes:
            return match[0]
        width, height = sizes[site_path]
        loading = ' loading="lazy"' if lazy else ""
        return f'<img width="{width}" height="{height}"{loading} '

    return _IMG.sub(add_size, html)


if __name__ == "__main__":
    # `python -m sitebuild.figures CACHE SNIPPETS REQUIREMENTS`: how Figures draws in another process.
    if len(sys.argv) != 4:
        sys.exit("usage: python -m sitebuild.figures CACHE_DIR SNIPPETS_DIR REQUIREMENTS")
    try:
        build_figures(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    except SnippetError as error:
        sys.exit(str(error))
