"""Explorers: the interactive widgets on a page, and the data they take from the snippets.

How it works
------------
* A page holds a widget as ``<div class="explorer" data-explorer="NAME" markdown="1">`` with
  the static figure inside (what a reader without JavaScript sees).
  ``docs/javascripts/explorers/index.js`` loads ``NAME.js`` for it, which mirrors snippet
  functions in JavaScript, operation for operation.
* What a widget takes from Python (the page's example, limits, print formats) is one entry
  of ``EXPLORERS``: ``NAME: (snippet module, function of that module returning the data)``.
  ``ExplorerData`` computes it once per key (the module and the snippets it imports, and this
  file: ``cache.code_key``), so an unchanged rebuild imports no snippet, and ``with_data``
  puts it on the page as ``<script type="application/json" id="explorer-data-NAME">`` right
  before the widget's container. ``tests/test_explorers.py`` compares every number a widget
  shows with the snippet function it mirrors.
* Adding an explorer: its ``NAME.js`` (and its line in ``index.js``), the container on the
  page, and one entry here.
"""

import json
import re
import sys
from pathlib import Path

from sitebuild.cache import SnippetError, code_key, import_or_fail, page_of, snippet_closure, where


def hill_walker(gradient_descent):
    """The hill walker (``hill.js``): the hill's samples, the divergence limit, and the page's walk."""
    m = gradient_descent
    return {"inputs": m.HILL_INPUTS.tolist(), "goals": m.HILL_GOALS.tolist(),
            "max_error": m.MAX_ERROR, "max_error_text": f"{m.MAX_ERROR:g}",
            "start": m.START.tolist(), "alpha": m.WALK_ALPHA, "steps": m.WALK_STEPS}


def alpha_explorer(learning_rate):
    """The α explorer (``alpha.js``): the page's example (alpha = 0.1), the limit and ``train``'s print formats."""
    m = learning_rate
    return {"input": 2, "goal_pred": 0.8, "weight": 0.5, "iterations": 20, "alpha": 0.1,
            "max_error": m.MAX_ERROR,
            "trace_line": m.trace_line("{error}", "{prediction}"),
            "divergence_message": m.divergence_message("{n}")}


def backprop_stepper(backprop):
    """The backpropagation stepper (``stepper.js``): the streetlights, the weights ``streetlights_steps``
    starts from (the page's seed), alpha and the number of epochs. The stepper trains from these itself,
    with ``one_step`` in JavaScript; no computed step is sent."""
    m = backprop
    first = m.streetlights_steps(alpha=0.2, hidden_size=4, iterations=1, seed=1)[0][0]
    return {"streetlights": m.streetlights.tolist(), "walk_vs_stop": m.walk_vs_stop.tolist(),
            "weights_0_1": first["weights_0_1"].tolist(), "weights_1_2": first["weights_1_2"].tolist(),
            "alpha": 0.2, "iterations": 60, "seed": 1}


EXPLORERS = {
    "hill": ("gradient_descent", hill_walker),
    "alpha": ("learning_rate", alpha_explorer),
    "stepper": ("backprop", backprop_stepper),
}

_CONTAINER = re.compile(r'^([ \t]*)<div\b[^>\n]*\bdata-explorer="(\w+)"', re.M)


def explorer_names(markdown):
    """The explorers a page holds, in order."""
    return [match[2] for match in _CONTAINER.finditer(markdown)]


def data_json(name, explorers=EXPLORERS):
    """The data of explorer ``name`` as the page carries it: JSON that cannot close its ``<script>``."""
    module, data = explorers[name]
    value = data(sys.modules[f"snippets.{module}"])
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


class ExplorerData:
    """Each explorer's JSON, computed once per key and kept in ``<cache>/explorers/``."""

    def __init__(self, cache_dir, snippets_dir, requirements, explorers=EXPLORERS):
        self.folder = Path(cache_dir) / "explorers"
        self.snippets_dir, self.requirements, self.explorers = Path(snippets_dir), Path(requirements), explorers

    def json(self, name, page):
        if name not in self.explorers:
            raise SnippetError(f"{page}: no explorer '{name}' in sitebuild/explorers.py (known: {sorted(self.explorers)})")
        module = self.explorers[name][0]
        modules = snippet_closure([module], self.snippets_dir)
        path = self.folder / f"{name}-{code_key(name, modules, self.snippets_dir, self.requirements, __file__)}.json"
        if not path.is_file():
            import_or_fail(modules, page_of(module))
            try:
                text = data_json(name, self.explorers)
            except Exception as error:
                raise SnippetError(f"{page}: explorer '{name}': {where(error)}{type(error).__name__}: {error}") from error
            self.folder.mkdir(parents=True, exist_ok=True)
            for stale in self.folder.glob(f"{name}-*.json"):
                stale.unlink()
            path.write_text(text, encoding="utf-8")
        return path.read_text(encoding="utf-8")

    def with_data(self, markdown, page):
        """The page's Markdown with each explorer's data right before its container."""

        def add(match):
            data = self.json(match[2], page)
            return f'{match[1]}<script type="application/json" id="explorer-data-{match[2]}">{data}</script>\n\n{match[0]}'

        return _CONTAINER.sub(add, markdown)
