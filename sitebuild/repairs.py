"""Repairs of rendered HTML that no input can avoid: one small function each, each with a test
that fails the day the upstream markup changes (``tests/test_build.py``).

How it works
------------
mkdocs-jupyter renders a notebook page with nbconvert, which inlines ~590 KB of JupyterLab
CSS, loads MathJax and mermaid from CDNs, adds copy buttons, and leaves Chinese headings
without an anchor. The site's own ``stylesheets/notebook.css`` styles the cells, so the
plugin removes what nbconvert adds (``drop_notebook_css``, ``drop_notebook_scripts``,
``drop_copy_buttons``) and gives the headings the same anchors as the Markdown pages
(``slug_notebook_headings``). ``label_for_readers`` fixes two accessibility gaps in the
theme's and nbconvert's markup.
"""

import re

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


