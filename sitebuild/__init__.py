"""Build-time machinery of the site, as one MkDocs plugin (``plugin.py``), one module per concept.

How it works
------------
Data flows one way: ``snippets/`` → the build → the site. The snippets never know this
package exists; it imports them, runs them and puts what they make on the pages.

* ``plugin.py``      the MkDocs events, in order; the only module that imports MkDocs' plugin API
* ``blas.py``        one BLAS thread per process, one OpenBLAS kernel (imported first, below)
* ``cache.py``       what a computed thing depends on (its key), and the one-line ``SnippetError``
* ``figures.py``     every snippet's ``FIGURES``, drawn in both palettes in another process
* ``outputs.py``     the pages' ``exec="on"`` blocks, run once per key
* ``notebooks.py``   ``docs/notebooks/*.py`` executed once per key, stored clean
* ``downloads.py``   each notebook page's zip, which runs away from this repository
* ``explorers.py``   the widgets' data, taken from the snippet functions they mirror
* ``formulas.py``    TeX to MathML at build time (KaTeX in the pinned pykatex), and the math font
* ``repairs.py``     fixes to rendered markup that no input can avoid
* ``chrome.py``      the links and downloads the theme override shows around a page
* ``archive.py``     zip files with the same bytes every time
* ``offline.py``     the copy that reads from disk (``python3 dev.py offline``)
* ``pdf.py``         the book as one PDF (``python3 dev.py pdf``)
* ``__main__.py``    the command line: ``python -m sitebuild offline | pdf | font``

Each module's docstring says how it works.
"""

from sitebuild import blas  # noqa: F401 -- before anything imports numpy
