"""Page outputs: the ``exec="on"`` Python blocks of a page, run once per key and stored.

How it works
------------
* A fence ``` ```python exec="on" session="predict" source="above" result="text" ``` runs the
  section it includes at build time and shows what it prints. markdown-exec reads the fence's
  options (``markdown_exec.validator``) and renders source and result (``markdown_exec.base_format``);
  ``PageOutputs`` is the runner it calls, and the formatter that the plugin registers for
  the ``python`` fence. All blocks of a page with the same session share one namespace,
  so later blocks see what earlier blocks defined.
* The key of a page is its exec blocks (as written, includes unexpanded) plus the closure of
  the snippet modules they include or import (``cache.code_key``). On a hit the stored HTML
  of every block is returned and nothing runs; on a miss the page's modules are imported
  afresh and every block runs in order. ``end()`` stores the page's HTML, ``prune()`` deletes
  what no page uses any more.
* A block that raises stops the build with one line naming the page, the snippet file and
  line, and the error (``SnippetError``). The runner holds the exception itself, so the line
  is the innermost frame in a snippet; a failure in the included lines themselves is
  pointed back at the line of the section in its module.
"""

import io
import json
import re
import traceback
from pathlib import Path

from sitebuild.cache import SnippetError, code_key, import_or_fail, shown, snippet_closure, where

_EXEC_FENCE = re.compile(r"^([ \t]*)(`{3,})python\b[^\n]*\bexec=\"on\"[^\n]*\n(.*?)^\1\2[ \t]*$", re.M | re.S)
_INCLUDE = re.compile(r'--8<--\s+"(snippets/(\w+)\.py)(?::([\w-]+))?"')
_MARKER = re.compile(r"#\s*--8<--\s*\[(start|end):([\w-]+)\]")


def exec_blocks(markdown):
    """The ``exec="on"`` Python blocks of a page, as written (fence line and body)."""
    return [match[0] for match in _EXEC_FENCE.finditer(markdown)]


def section_lines(path, section):
    """The line numbers (from 1) of the lines ``pymdownx.snippets`` includes for ``path:section``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if section is None:
        return [n for n, line in enumerate(lines, 1) if not _MARKER.search(line)]
    inside, found = False, []
    for number, line in enumerate(lines, 1):
        marker = _MARKER.search(line)
        if marker and marker[2] == section:
            inside = marker[1] == "start"
        elif inside and not marker:
            found.append(number)
    return found


class PageOutputs:
    """The runner and cache of a page's exec blocks (module docstring).

    ``begin(page, markdown)`` before the page is converted, ``format`` as the fence's formatter,
    ``end()`` after; ``prune()`` once the build is done. ``render(source, options, md)`` turns
    a block into HTML; by default markdown-exec's ``base_format`` with ``run`` as its runner.
    """

    def __init__(self, cache_dir, snippets_dir, requirements, render=None):
        self.folder = Path(cache_dir) / "outputs"
        self.snippets_dir, self.requirements = Path(snippets_dir), Path(requirements)
        self.render = render or self._render
        self.used, self.ran = set(), []
        self.page = self.path = self.stored = None
        self.blocks, self.made, self.sessions = [], [], {}

    def begin(self, page, markdown):
        self.blocks = exec_blocks(markdown)
        self.page, self.made, self.sessions = f"docs/{page}", [], {}
        if not self.blocks:
            self.path = self.stored = None
            return
        try:
            included = sorted({m[2] for m in _INCLUDE.finditer("\n".join(self.blocks))})
            modules = snippet_closure(included, self.snippets_dir)
        except SnippetError as error:
            raise SnippetError(f"{self.page}: {error}") from error
        key = code_key("\n".join(self.blocks), modules, self.snippets_dir, self.requirements, __file__)
        name = re.sub(r"[^\w-]+", "_", page)
        self.path = self.folder / f"{name}-{key}.json"
        self.used.add(self.path)
        self.stored = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else None
        if self.stored is None:
            self.ran.append(page)
            import_or_fail(modules, self.page)

    def format(self, source, language, css_class, options, md, **kwargs):
        """The ``python`` fence's formatter (pymdownx.superfences' signature)."""
        if self.stored is not None:
            if len(self.made) >= len(self.stored):
                raise SnippetError(f"{self.page}: more exec blocks than its cached outputs; delete {self.path}")
            html = self.stored[len(self.made)]
        else:
            html = self.render(source, options, md)
        self.made.append(str(html))
        return html

    def _render(self, source, options, md):
        from markdown_exec import base_format

        return base_format(language="python", run=self.run, code=source, md=md, **options)

    def run(self, code, returncode=0, session=None, id="", **extra):
        """Run one block in its session's namespace; return what it printed (markdown-exec's runner)."""
        number = len(self.made)
        namespace = self.sessions.setdefault(session or f"block {number}", {"__name__": "page_outputs"})
        printed = io.StringIO()
        namespace["print"] = lambda *texts, end="\n", **_: printed.write(" ".join(map(str, texts)) + end)
        name = f"<{self.page} exec block {number + 1}>"
        try:
            exec(compile(code, name, "exec"), namespace)
        except Exception as error:
            raise SnippetError(f"{self.page}: {self._where(error, name, number)}{type(error).__name__}: {error}") from error
        return printed.getvalue()

    def _where(self, error, name, number):
        """``where(error)``; for a failure in the block's own lines, the line of its section in the snippet."""
        frames = traceback.extract_tb(error.__traceback__)
        if where(error) or not frames or frames[-1].filename != name:
            return where(error)
        includes = _INCLUDE.findall(self.blocks[number]) if number < len(self.blocks) else []
        if len(includes) != 1:
            return f"{name}:{frames[-1].lineno}: "
        path, _, section = includes[0]
        lines = section_lines(self.snippets_dir.parent / path, section or None)
        line = lines[frames[-1].lineno - 1] if frames[-1].lineno <= len(lines) else "?"
        return f"{shown(self.snippets_dir.parent / path)}:{line}: "

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
