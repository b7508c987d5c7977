"""MkDocs hooks: a thin layer that calls the plain functions in ``sitebuild`` and ``mathrender``.

Order within one build: ``on_config`` makes ``snippets`` importable, wraps markdown-exec's
formatter in the page-output cache, and starts the notebooks that must run again (a
background thread) and the drawing of missing figures (another process); ``on_files`` adds
both, and each page's snippet module, to the site, the notebook pages last; each page's outputs are looked
up or computed between ``on_page_markdown`` (which also gives each figure its dark twin) and
``on_page_content``, where a notebook page's markup is repaired; notebook pages wait for their
notebook in ``on_pre_page``; ``on_env`` waits for the figures; ``on_post_page`` typesets the
formulas and gives each figure its size; and ``on_post_build`` copies the executed notebooks
beside their pages as downloads.
"""

import logging
import os
import re
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

import mathrender
import sitebuild

log = logging.getLogger("mkdocs.hooks")
_IMG = re.compile(r'<img (?=[^>]*src="([^"#]*figures/[^"#]+\.svg)(?:#[^"]*)?")(?![^>]*\swidth=)')
_state = {"sizes": {}, "outputs": None, "notebooks": None, "figures": None, "figure_files": {}, "executed": {}}


def _cache_dir(config):
    default = Path(config.config_file_path).parent / ".cache"
    return Path(os.environ.get("SITE_CACHE_DIR", default))


def _fail(error):
    """Stop the build with the error's one line (MkDocs prints it)."""
    raise PluginError(str(error)) from None


def _failing_loudly(format_block):
    def format_or_fail(*args, **kwargs):
        try:
            return format_block(*args, **kwargs)
        except sitebuild.SnippetError as error:
            _fail(error)

    format_or_fail.cached = True
    return format_or_fail


def on_config(config):
    # A plain `pip install -r requirements.txt && mkdocs build` has no installed `snippets`:
    # put the project first on the import path (changes made while this file loads are undone).
    if str(sitebuild.ROOT) not in sys.path:
        sys.path.insert(0, str(sitebuild.ROOT))
    outputs = _state["outputs"] = sitebuild.PageOutputs(_cache_dir(config))
    fences = config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
    for fence in fences:
        if fence["name"] == "python" and not getattr(fence["format"], "cached", False):
            fence["format"] = _failing_loudly(outputs.wrap(fence["format"]))
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter:
        jupyter.config["cache_dir"] = str(_cache_dir(config) / "rendered-notebooks")
    # Start the slow work now, while MkDocs loads its plugins and reads the pages.
    cache = _cache_dir(config)
    mathrender.load_cache(cache / mathrender.cache_name(sitebuild.REQUIREMENTS))
    notebooks = _state["notebooks"] = sitebuild.Notebooks(Path(config.docs_dir, "notebooks"), cache)
    drawing = _state["figures"] = sitebuild.Figures(cache)
    try:
        _state["executed"] = notebooks.start()
        _state["figure_files"] = drawing.start()
    except sitebuild.SnippetError as error:
        _fail(error)
    return config


@event_priority(50)  # before mkdocs-jupyter turns notebook files into pages
def on_files(files, config):
    notebooks, drawing = _state["notebooks"], _state["figures"]
    executed, figures = _state["executed"], _state["figure_files"]
    log.info(f"figures: {len(figures)} in the site, {drawing.drawing} to draw")
    if notebooks.ran:
        log.info(f"notebooks: executing {', '.join(notebooks.ran)}")
    for site_path, source in figures.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    for module in sitebuild.page_modules():  # the source a page's "数字从哪里来" box links to
        files.append(File.generated(config, f"snippets/{module}.py", abs_src_path=str(sitebuild.SNIPPETS / f"{module}.py")))
    for name, path in executed.items():
        # The page notebooks/<name>.ipynb is the executed notebook, which on_post_build also
        # copies beside the page as the download; the jupytext source is not published. Added
        # last, so MkDocs reads every other page (and runs its code) while the kernel works.
        files.remove(files.get_file_from_path(f"notebooks/{name}.py"))
        files.append(File(f"notebooks/{name}.ipynb", src_dir=str(path), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    return files


@event_priority(50)  # mkdocs-jupyter reads the notebook in its own on_pre_page
def on_pre_page(page, config, files):
    if page.file.src_uri.startswith("notebooks/"):
        try:
            _state["notebooks"].wait()
        except sitebuild.SnippetError as error:
            _fail(error)
    return page


def on_page_markdown(markdown, page, config, files):
    try:
        _state["outputs"].begin(page.file.src_uri, markdown)
    except sitebuild.SnippetError as error:
        _fail(error)
    return sitebuild.dark_twins(markdown)  # each figure also in the dark palette, for readers who chose it


def on_page_content(html, page, config, files):
    """Store the page's outputs. On notebook pages, give headings Chinese-keeping anchors and point the TOC at them."""
    _state["outputs"].end()
    if page.file.src_uri.startswith("notebooks/"):
        html = sitebuild.drop_copy_buttons(sitebuild.drop_notebook_scripts(sitebuild.drop_notebook_css(html)))
        html, anchors = sitebuild.slug_notebook_headings(html)
        todo = list(page.toc)
        while todo:
            item = todo.pop()
            item.id = anchors.get(item.title, item.id)
            todo += item.children
    return html


def on_env(env, config, files):
    """Every page's Markdown is converted: wait for the figures, then read their sizes."""
    try:
        _state["figures"].wait()
    except sitebuild.SnippetError as error:
        _fail(error)
    _state["sizes"] = {site_path: sitebuild.svg_size(svg) for site_path, svg in _state["figure_files"].items()}
    return env


def _add_sizes(html, page):
    """Give every figure its width and height, so the page does not jump while it loads."""

    def add_size(match):
        site_path = os.path.normpath(os.path.join(os.path.dirname(page.file.url), match[1]))
        if site_path not in _state["sizes"]:
            return match[0]
        width, height = _state["sizes"][site_path]
        return f'<img width="{width}" height="{height}" loading="lazy" '

    return _IMG.sub(add_size, html)


def on_post_page(output, page, config):
    """Typeset the page's formulas into MathML (``mathrender``), after the search index has read the page's text
    (it indexes the TeX, as a reader types it, rather than thousands of MathML tags); size its figures."""
    try:
        output = mathrender.render_math(output, page.file.src_uri, get_relative_url(mathrender.FONT_URL, page.url))
    except mathrender.MathError as error:
        _fail(error)
    return sitebuild.label_for_readers(_add_sizes(output, page), page.file.src_uri.startswith("notebooks/"))


def on_post_build(config):
    notebooks = _state["notebooks"]
    notebooks.wait()
    for name, path in notebooks.paths.items():
        shutil.copyfile(path / "notebooks" / f"{name}.ipynb", Path(config.site_dir, "notebooks", f"{name}.ipynb"))
    mathrender.save_cache(_cache_dir(config) / mathrender.cache_name(sitebuild.REQUIREMENTS))
    _state["outputs"].prune()
    if _state["outputs"].ran:
        log.info(f"page outputs: computed for {', '.join(_state['outputs'].ran)}")
