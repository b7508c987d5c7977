"""The offline copy: a build that reads from disk (``file://``), its link check and its zip.

    python3 dev.py offline   # site-offline.zip: unzip anywhere, open xiashan/index.html from disk

How it works
------------
* The offline copy is a strict MkDocs build with ``OFFLINE=true``, which turns on
  mkdocs-material's ``offline`` plugin (see ``mkdocs.yml``). That plugin writes pages as
  ``page.html`` instead of ``page/index.html`` (a browser reading ``file://`` does not open a
  folder's ``index.html``) and inlines the search index into ``search/search_index.js``.
* What it cannot do, this module does for the plugin (``plugin.py`` calls it in offline builds
  only). Search runs in a web worker, which ``file://`` pages may not start; the offline
  plugin would fetch the iframe-worker polyfill from a CDN for that, so the build lists the
  vendored copy (``vendor/iframe-worker/``, MIT, version and checksum in its README) instead
  (``use_vendored_shim``). A page read from ``file://`` may not load a font file, so the
  math font is inlined into ``stylesheets/math.css`` as a ``data:`` URL (``inline_math_font``;
  the plugin then writes no font preload); nor JavaScript modules, so the explorers are left
  out and their static figures stay. Notebook pages are written by mkdocs-jupyter, whose
  links are not rewritten by MkDocs: they were written for directory URLs, so
  ``rebase_notebook_links`` rebases them.
* ``check_offline_links`` then reads every page: each local link must name a file that
  exists (no ``folder/`` links left), and no page may load anything from another host.
* The zip is byte-for-byte repeatable (``archive.write_zip``). Sitemaps and the 404 page are
  left out (the sitemaps name the build date; both are of use only to a server).
"""

import base64
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitebuild.archive import write_zip

ZIP_FOLDER = "xiashan"
# Of use only to a server: the sitemaps (which also name the build date) and the 404 page
# (whose links start at the server's root).
OFFLINE_LEFT_OUT = {"404.html", "sitemap.xml", "sitemap.xml.gz"}


def is_offline(config):
    """Whether material's ``offline`` plugin is on in this build."""
    from material.plugins.offline.plugin import OfflinePlugin

    return any(isinstance(p, OfflinePlugin) and p.config.enabled for p in config.plugins.values())


def use_vendored_shim(config, shim_site_path):
    """List the vendored search-worker polyfill (the offline plugin adds the CDN's unless one is listed),
    and leave out the JavaScript modules (the explorers), which a page read from ``file://`` may not load."""
    polyfills = config.extra.get("polyfills") or []
    if shim_site_path not in polyfills:
        config.extra["polyfills"] = [*polyfills, shim_site_path]
    config.extra_javascript[:] = [s for s in config.extra_javascript if getattr(s, "type", "") != "module"]


def inline_math_font(css, font_url, font_bytes):
    """The math stylesheet with the font it names at ``font_url`` (relative to it) as a ``data:`` URL."""
    font = "data:font/woff2;base64," + base64.b64encode(font_bytes).decode("ascii")
    inlined = css.replace(font_url, font)
    if font not in inlined:
        raise RuntimeError(f"the math stylesheet no longer names {font_url}: the offline copy would lose its math font")
    return inlined


_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def rebase_notebook_links(html_text, src_uri, url, page_urls):
    """The links of a notebook page (``src_uri``, published at ``url``), written for ``notebooks/x/``, made
    relative to where the page is; a folder link names the page file in ``page_urls``."""
    as_if = posixpath.dirname(src_uri) + "/" + Path(src_uri).stem + "/"
    here = posixpath.dirname(url)

    def rebase(match):
        link = match[2]
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path or link.startswith("/"):
            return match[0]
        target = posixpath.normpath(posixpath.join(as_if, parts.path))
        if parts.path.endswith("/") or target == ".":
            target = "index.html" if target == "." else target + "/index.html"
            if target not in page_urls and target.removesuffix("/index.html") + ".html" in page_urls:
                target = target.removesuffix("/index.html") + ".html"
        new = posixpath.relpath(target, here or ".")
        if parts.fragment:
            new += "#" + parts.fragment
        return match[1] + new + match[3]

    return _URL_ATTR.sub(rebase, html_text)


class _Links(HTMLParser):
    """The URLs a page refers to: ``found = [(tag, attribute, url)]``."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src", "poster", "data") and value:
                self.found.append((tag, key, value))
            elif key == "srcset" and value:
                self.found += [(tag, key, part.split()[0]) for part in value.split(",") if part.strip()]


def check_offline_links(site, left_out=OFFLINE_LEFT_OUT):
    """Problems that would stop the copy in ``site`` from working from disk; empty when none.

    Every local URL must name an existing file (a folder URL such as ``backprop/`` does not
    open its ``index.html`` from disk), and nothing a page loads may come from another host
    (links a reader may follow to other sites are fine). Files in ``left_out`` are not read.
    """
    site = Path(site)
    problems = []
    for page in sorted(site.rglob("*.html")):
        where = page.relative_to(site).as_posix()
        if where in left_out:
            continue
        for tag, key, url in _Links(page.read_text(encoding="utf-8")).found:
            parts = urlsplit(url)
            if parts.scheme in ("data", "mailto", "javascript"):
                continue
            if parts.scheme or parts.netloc:
                if not (tag == "a" and key == "href"):
                    problems.append(f"{where}: <{tag} {key}> loads {url} from another host")
                continue
            if not parts.path:
                continue
            if parts.path.startswith("/"):
                problems.append(f"{where}: <{tag} {key}> {url} is absolute: it points at the root of the disk")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                problems.append(f"{where}: <{tag} {key}> {url} is a folder, not a file")
            elif not target.is_file():
                problems.append(f"{where}: <{tag} {key}> {url} does not exist")
    return problems


def make_offline_zip(site, out, epoch):
    """Check the links of the offline build in ``site`` and zip it into ``out`` under ``xiashan/``."""
    problems = check_offline_links(site)
    if problems:
        raise RuntimeError("the offline copy would not work from disk:\n  " + "\n  ".join(problems))
    files = {f"{ZIP_FOLDER}/{p.relative_to(site).as_posix()}": p for p in sorted(Path(site).rglob("*"))
             if p.is_file() and p.relative_to(site).as_posix() not in OFFLINE_LEFT_OUT}
    return write_zip(files, out, epoch)
