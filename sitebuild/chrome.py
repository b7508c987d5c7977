"""Page chrome: what the theme override (``overrides/main.html``) shows around a page's content.

How it works
------------
The plugin's ``on_page_context`` hands the template two values, which it renders like
mkdocs-material's content actions: icon links at the right of the page title, and a box at
the foot of a notebook page.

* ``page_links``: on a page with a snippet module, a link to that module and one to its
  tests (both published with the site), so a reader can see where each number comes from;
  on a notebook page, its download.
* ``notebook_download``: on a notebook page, the zip (``downloads.py``) and the one command
  that runs it.
"""

from sitebuild.downloads import run_command


def page_links(src_uri, modules, notebooks):
    """The icon links of the page ``src_uri``: ``[{"url": site path, "title": …, "icon": …}]``.

    ``modules`` are the snippet modules that have a page, ``notebooks`` the notebook names.
    """
    stem = src_uri.removesuffix(".md").replace("-", "_")
    if src_uri.endswith(".md") and "/" not in src_uri and stem in modules:
        return [
            {"url": f"snippets/{stem}.py", "icon": "material/language-python",
             "title": f"本页的代码：snippets/{stem}.py，页面上的输出都由它运行得到"},
            {"url": f"tests/test_{stem}.py", "icon": "material/test-tube",
             "title": f"核对本页数值的测试：tests/test_{stem}.py"},
        ]
    download = notebook_download(src_uri, notebooks)
    if download:
        return [{"url": download["url"], "icon": "material/download",
                 "title": f"下载这个 notebook：{download['file']}，解压后就能在自己的电脑上运行"}]
    return []


def notebook_download(src_uri, notebooks):
    """``{"url", "file", "command"}`` for a notebook page (``notebooks/<name>.ipynb``), else None."""
    name = src_uri.removeprefix("notebooks/").removesuffix(".ipynb")
    if not (src_uri.startswith("notebooks/") and src_uri.endswith(".ipynb") and name in notebooks):
        return None
    return {"url": f"notebooks/{name}.zip", "file": f"{name}.zip", "command": run_command(name)}
