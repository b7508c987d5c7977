"""MkDocs hooks: a thin layer that calls the plain functions in ``sitebuild``."""

import logging
import os
import re
import traceback
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

import mathrender
import sitebuild

log = logging.getLogger("mkdocs.hooks")
_IMG = re.compile(r'<img (?=[^>]*src="([^"]*figures/[^"]+\.svg)")(?![^>]*\swidth=)')
_sizes = {}
_shared_css = {}


def _cache_dir(config):
    default = Path(config.config_file_path).parent / ".cache"
    return Path(os.environ.get("SITE_CACHE_DIR", default))


def on_config(config):
    # mkdocs-jupyter caches executed notebooks by their own text only; key its cache by
    # the snippets too, so that editing a snippet re-runs the notebooks that import it.
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter:
        key = sitebuild.code_hash_all()
        jupyter.config["cache_dir"] = str(_cache_dir(config) / "notebooks" / key)
    return config


def on_files(files, config):
    try:
        figures, drawn = sitebuild.build_figures(_cache_dir(config))
    except sitebuild.FigureError as error:
        log.error(str(error))
        log.error("".join(traceback.format_exception(error.__cause__ or error)))
        raise PluginError(str(error)) from error
    log.info(f"figures: {len(figures)} in the site, {drawn} drawn")
    for site_path, source in figures.items():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    _sizes.clear()
    _sizes.update({site_path: sitebuild.svg_size(source) for site_path, source in figures.items()})
    for notebook in sorted(Path(config.docs_dir, "notebooks").glob("*.py")):
        files.append(File.generated(config, f"notebooks/{notebook.stem}.ipynb",
                                    content=sitebuild.notebook_ipynb(notebook)))
    return files


def on_page_content(html, page, config, files):
    """Give every figure its width and height, so the page does not jump while it loads.

    On notebook pages, also give headings Chinese-keeping anchors and point the TOC at them.
    Formulas are typeset here, into MathML (``mathrender``).
    """
    try:
        html = mathrender.render_math(html, page.file.src_uri, get_relative_url(mathrender.FONT_URL, page.url))
    except mathrender.MathError as error:
        raise PluginError(str(error)) from None
    if page.file.src_uri.startswith("notebooks/"):
        html, anchors = sitebuild.slug_notebook_headings(html)
        todo = list(page.toc)
        while todo:
            item = todo.pop()
            item.id = anchors.get(item.title, item.id)
            todo += item.children

    def add_size(match):
        site_path = os.path.normpath(os.path.join(os.path.dirname(page.file.url), match[1]))
        if site_path not in _sizes:
            return match[0]
        width, height = _sizes[site_path]
        return f'<img width="{width}" height="{height}" loading="lazy" '

    return _IMG.sub(add_size, html)


def on_post_page(output, page, config):
    notebook = page.file.src_uri.startswith("notebooks/")
    output = sitebuild.label_for_readers(output, notebook)
    if not notebook:
        return output
    output = sitebuild.strip_notebook_cdn(output)
    output = sitebuild.merge_notebook_streams(sitebuild.number_notebook_cells(output))
    name, css, output = sitebuild.share_notebook_css(output, lambda n: get_relative_url(n, page.url))
    if name:
        _shared_css[name] = css
    return output


def on_post_build(config):
    for name, css in _shared_css.items():
        target = Path(config.site_dir, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
