"""What a computed thing depends on, and the one-line error that names where snippet code failed.

How it works
------------
Everything the build computes from the snippets (figures, page outputs, executed notebooks)
is cached under one folder, keyed like a compiler keys its objects: by the bytes of the code
that produced it. ``code_key`` hashes the build's ``requirements.txt`` (the libraries and the
font), the module of this package that makes the thing (how it is made), the input's own
text, and every ``snippets`` module it imports, directly or through other snippets
(``snippet_closure`` reads the imports with ``ast``, without importing anything). Edit one
module and only what imports it is computed again; with nothing changed, no snippet code runs.

When snippet code fails, the build stops with one line: ``SnippetError``, whose message names
the page, the snippet file and line (``where``) and the error.
"""

import ast
import functools
import hashlib
import importlib
import os
import sys
import traceback
from pathlib import Path

NOT_PAGES = {"__init__", "checks", "style"}  # snippet modules shared by every page, with no page of their own


class SnippetError(RuntimeError):
    """Snippet code failed at build time; the message is one line naming where."""


def shown(path):
    """A path as the reader of an error message knows it: relative to the folder the build runs in."""
    path = Path(path).resolve()
    here = Path.cwd().resolve()
    return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)


def where(error):
    """``snippets/x.py:18: `` for the innermost traceback frame in a snippet, or nothing."""
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        return f"{shown(error.filename)}:{error.lineno}: "
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f"{os.sep}snippets{os.sep}" in f.filename]
    return f"{shown(frames[-1].filename)}:{frames[-1].lineno}: " if frames else ""


def parse(path, text=None):
    """The module at ``path`` (or its ``text``) as an ``ast`` tree; a syntax error names the file and line."""
    try:
        return ast.parse(Path(path).read_text(encoding="utf-8") if text is None else text, filename=str(path))
    except SyntaxError as error:
        raise SnippetError(f"{shown(path)}:{error.lineno}: SyntaxError: {error.msg}") from error


def imported_modules(path):
    """Dotted names of the modules the file at ``path`` imports (``import a.b`` and ``from a.b
    import c`` both give ``a.b``), in the order they appear; relative imports are left out.

    The file is read every time; its text is parsed once (``_imported_modules`` remembers the
    answer for each text), since a build asks about the same modules for every figure, page,
    notebook and download, and an edited file has a new text."""
    return _imported_modules(Path(path).read_text(encoding="utf-8"), str(path))


@functools.lru_cache(maxsize=256)
def _imported_modules(text, path):
    found = []
    for node in ast.walk(parse(path, text)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
    return tuple(found)


def module_imports(path):
    """Names of the ``snippets`` modules the file at ``path`` imports."""
    return [name.split(".")[1] for name in imported_modules(path) if name.startswith("snippets.")]


def snippet_closure(names, snippets_dir):
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


def page_of(module):
    """The page that shows a snippet module: ``snippets/hot_cold.py`` belongs to ``docs/hot-cold.md``."""
    return f"docs/{module.replace('_', '-')}.md"


def page_modules(snippets_dir):
    """Names of the snippet modules that belong to a page (``predict``, ...), sorted."""
    return sorted(p.stem for p in Path(snippets_dir).glob("*.py") if p.stem not in NOT_PAGES)


def code_key(text, modules, snippets_dir, requirements, maker):
    """Hash of ``text``, of the given snippet modules' bytes, of ``requirements`` and of ``maker``
    (the file of this package whose code makes the thing)."""
    digest = hashlib.sha256(Path(requirements).read_bytes() + Path(maker).read_bytes())
    digest.update(b"\0" + (text if isinstance(text, bytes) else text.encode()))
    for name in sorted(modules):
        digest.update(b"\0" + name.encode() + b"\0" + (Path(snippets_dir) / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def fresh_modules(names):
    """Import ``snippets.<name>`` for each name (dependencies first); reload those already imported."""
    for name in names:
        full = f"snippets.{name}"
        if full in sys.modules:
            importlib.reload(sys.modules[full])
        else:
            importlib.import_module(full)


def import_or_fail(names, context):
    """``fresh_modules``, with an error that raises while importing turned into one line."""
    try:
        fresh_modules(names)
    except Exception as error:
        raise SnippetError(f"{context}: {where(error)}{type(error).__name__}: {error}") from error
