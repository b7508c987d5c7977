"""The MkDocs plugin ``sitebuild``: the events that call the build's plain functions, in order.

How it works
------------
``SiteBuildPlugin`` is registered by an entry point in ``pyproject.toml`` and configured
under ``plugins:`` in ``mkdocs.yml`` (its options are the folders it reads and writes). It
keeps the build's state on itself; the work is done by the modules beside it, which know
nothing of MkDocs. Within one build:

* ``on_config`` (first, before material's ``offline`` plugin): puts the project first on
  the import path (so ``snippets`` imports with no install), registers the ``python`` fence
  whose runner is the page-output cache (``outputs``), and starts the slow work: the
  notebooks that must run again (a background thread, ``notebooks``) and the drawing of
  missing figures (another process, ``figures``). In an offline build it lists the vendored
  search-worker polyfill (``offline``).
* ``on_files`` (before mkdocs-jupyter reads the files): adds the figures, each page's
  snippet module and its tests (the page links to them), and the executed notebooks, last,
  so MkDocs reads every other page while the kernel works.
* ``on_page_markdown``: looks up or computes the page's outputs (``outputs``), gives each
  figure its dark twin (``figures``) and each explorer its data (``explorers``).
  ``on_pre_page`` makes a notebook page wait for its notebook.
* ``on_page_content`` (before mkdocs-print-site-plugin copies the page): stores the page's
  outputs; repairs a notebook page's markup (``repairs``).
* ``on_page_context``: hands the theme override the page's links and download (``chrome``).
* ``on_env``: waits for the figures and reads their sizes; ``on_post_page`` typesets the
  formulas (``formulas``; the font is preloaded unless the offline build inlined it) and gives
  each figure its size, after the search index has read the page.
* ``on_post_build`` (last, after print-site has written its page): writes each notebook's
  download (``downloads``), gives print-site's page what ``on_post_page`` gives every page,
  and saves the caches.

Every failure in snippet code stops the build with ``SnippetError``'s one line, which
MkDocs prints (``PluginError``); ``mkdocs serve`` keeps running and recovers on the next save.
"""

import functools
import logging
import sys
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from sitebuild import chrome, offline, repairs
from sitebuild.archive import source_date_epoch
from sitebuild.cache import SnippetError, page_modules
from sitebuild.downloads import notebook_bundle
from sitebuild.explorers import ExplorerData
from sitebuild.figures import Figures, add_sizes, dark_twins, svg_size
from sitebuild.formulas import FONT_URL, MathError, Typesetter, render_math
from sitebuild.notebooks import Notebooks
from sitebuild.outputs import PageOutputs

log = logging.getLogger("mkdocs.plugins.sitebuild")
SHIM_SITE_PATH = "assets/javascripts/iframe-worker/shim.js"
MATH_CSS = "stylesheets/math.css"


class SiteBuildConfig(base.Config):
    cache_dir = c.Type(str, default=".cache")  # figures, page outputs, notebooks, formulas (mkdocs.yml: SITE_CACHE_DIR)
    snippets = c.Type(str, default="snippets")  # the teaching modules, one per page
    tests = c.Type(str, default="tests")  # test_<module>.py, linked from each page
    requirements = c.Type(str, default="requirements.txt")  # part of every cache key
    notebooks = c.Type(str, default="notebooks")  # jupytext notebooks, inside docs_dir
    search_worker_shim = c.Type(str, default="vendor/iframe-worker/shim.js")  # offline builds


def failing_loudly(event):
    """Turn a ``SnippetError`` or ``MathError`` raised in an event into MkDocs' one-line ``PluginError``."""

    @functools.wraps(event)
    def run(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except (SnippetError, MathError) as error:
            raise PluginError(str(error)) from None

    return run


class SiteBuildPlugin(BasePlugin[SiteBuildConfig]):
    def _path(self, option):
        return self.project / self.config[option]

    @event_priority(100)  # before material's offline plugin, which adds the CDN polyfill unless one is listed
    @failing_loudly
    def on_config(self, config):
        from markdown_exec import validator

        self.project = Path(config.config_file_path).resolve().parent
        if str(self.project) not in sys.path:  # `snippets` imports with no install, from this project
            sys.path.insert(0, str(self.project))
        self.cache = self._path("cache_dir")
        snippets, requirements = self._path("snippets"), self._path("requirements")
        self.modules = page_modules(snippets)
        self.offline = offline.is_offline(config)
        self.outputs = PageOutputs(self.cache, snippets, requirements)
        self.explorers = ExplorerData(self.cache, snippets, requirements)
        self.typesetter = Typesetter(requirements)
        self.typesetter.load(self.cache)
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
        fences.insert(0, {"name": "python", "class": "python", "validator": validator,
                          "format": failing_loudly(self.outputs.format)})
        jupyter = config.plugins.get("mkdocs-jupyter")
        if jupyter:  # its rendered pages live with the rest of the cache
            jupyter.config["cache_dir"] = str(self.cache / "rendered-notebooks")
        if self.offline:
            offline.use_vendored_shim(config, SHIM_SITE_PATH)
        # the slow work starts now, while MkDocs loads the other plugins and reads the pages
        self.notebooks = Notebooks(Path(config.docs_dir) / self.config.notebooks, self.cache, snippets, requirements)
        self.figures = Figures(self.cache, snippets, requirements)
        self.executed = self.notebooks.start()
        self.figure_files = self.figures.start()
        self.sizes = {}
        return config

    @event_priority(50)  # before mkdocs-jupyter turns the notebook files into pages
    def on_files(self, files, config):
        log.info(f"figures: {len(self.figure_files)} in the site, {self.figures.drawing} to draw")
        if self.notebooks.ran:
            log.info(f"notebooks: executing {', '.join(self.notebooks.ran)}")
        for site_path, source in self.figure_files.items():
            files.append(File.generated(config, site_path, abs_src_path=str(source)))
        for module in self.modules:  # what each page links to: its module and its tests
            files.append(File.generated(config, f"snippets/{module}.py", abs_src_path=str(self._path("snippets") / f"{module}.py")))
            files.append(File.generated(config, f"tests/test_{module}.py", abs_src_path=str(self._path("tests") / f"test_{module}.py")))
        for name, folder in self.executed.items():
            # The page notebooks/<name>.ipynb is the executed notebook; the jupytext source is not
            # published. Added last, so MkDocs reads every other page while the kernel works.
            files.remove(files.get_file_from_path(f"{self.config.notebooks}/{name}.py"))
            files.append(File(f"{self.config.notebooks}/{name}.ipynb", src_dir=str(folder), dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls))
        if self.offline:
            files.append(File.generated(config, SHIM_SITE_PATH, abs_src_path=str(self._path("search_worker_shim"))))
            sheet = files.get_file_from_path(MATH_CSS)
            font = (Path(config.docs_dir) / FONT_URL).read_bytes()
            css = offline.inline_math_font(sheet.content_string, f"../{FONT_URL}", font)
            files.remove(sheet)
            files.append(File.generated(config, MATH_CSS, content=css))
        return files

    @event_priority(50)  # mkdocs-jupyter reads the notebook in its own on_pre_page
    @failing_loudly
    def on_pre_page(self, page, config, files):
        if page.file.src_uri.startswith(f"{self.config.notebooks}/"):
            self.notebooks.wait()
        return page

    @failing_loudly
    def on_page_markdown(self, markdown, page, config, files):
        self.outputs.begin(page.file.src_uri, markdown)
        markdown = self.explorers.with_data(markdown, f"docs/{page.file.src_uri}")
        return dark_twins(markdown)  # each figure also in the dark palette, for readers who chose it

    @event_priority(50)  # before mkdocs-print-site-plugin keeps a copy of the page for its print page
    def on_page_content(self, html, page, config, files):
        self.outputs.end()
        if page.file.src_uri.startswith(f"{self.config.notebooks}/"):
            html = repairs.drop_copy_buttons(repairs.drop_notebook_scripts(repairs.drop_notebook_css(html)))
            html, anchors = repairs.slug_notebook_headings(html)
            todo = list(page.toc)  # the table of contents points at the new anchors
            while todo:
                item = todo.pop()
                item.id = anchors.get(item.title, item.id)
                todo += item.children
            if self.offline:
                html = offline.rebase_notebook_links(html, page.file.src_uri, page.file.url,
                                                     {f.url for f in files.documentation_pages()})
        return html

    def on_page_context(self, context, page, config, nav):
        context["page_links"] = chrome.page_links(page.file.src_uri, self.modules, self.executed)
        context["notebook_download"] = chrome.notebook_download(page.file.src_uri, self.executed)
        return context

    @failing_loudly
    def on_env(self, env, config, files):
        """Every page's Markdown is converted: wait for the figures, then read their sizes."""
        self.figures.wait()
        self.sizes = {site_path: svg_size(svg) for site_path, svg in self.figure_files.items()}
        return env

    def finish_page(self, html, src_uri, url, lazy=True):
        """Typeset the formulas of a rendered page (at ``url``) and size its figures."""
        font = None if self.offline else get_relative_url(FONT_URL, url)  # offline: inlined in its stylesheet
        html = render_math(html, src_uri, font, self.typesetter)
        html = add_sizes(html, url, self.sizes, lazy)
        return repairs.label_for_readers(html, src_uri.startswith(f"{self.config.notebooks}/"))

    @failing_loudly
    def on_post_page(self, output, page, config):
        """After the search index has read the page's text (it indexes the TeX, as a reader types it,
        rather than thousands of MathML tags)."""
        return self.finish_page(output, page.file.src_uri, page.url)

    @event_priority(-100)  # after mkdocs-print-site-plugin has written its print page
    @failing_loudly
    def on_post_build(self, config):
        self.notebooks.wait()
        epoch = source_date_epoch(self.project)
        for name in self.executed:
            notebook_bundle(name, self.notebooks.executed(name), Path(config.docs_dir) / self.config.notebooks / f"{name}.py",
                            self.notebooks.modules(name), self._path("snippets"),
                            Path(config.site_dir) / self.config.notebooks / f"{name}.zip", epoch)
        print_site = config.plugins.get("print-site")
        if print_site and print_site.config.get("enabled"):  # print-site writes its page after every on_post_page
            book = print_site.print_page.file
            path = Path(book.abs_dest_path)
            path.write_text(self.finish_page(path.read_text(encoding="utf-8"), book.src_uri, book.url, lazy=False),
                            encoding="utf-8")
        self.typesetter.save(self.cache)
        self.outputs.prune()
        if self.outputs.ran:
            log.info(f"page outputs: computed for {', '.join(self.outputs.ran)}")
