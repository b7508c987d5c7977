"""The build pipeline: what is computed again and when, one-line failures, repairs that notice upstream changes."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from sitebuild import blas, repairs
from sitebuild.cache import SnippetError
from sitebuild.figures import build_figures
from sitebuild.notebooks import Notebooks
from sitebuild.outputs import PageOutputs, exec_blocks

REQUIREMENTS = ROOT / "requirements.txt"

IMPORTS_BLOCK = '```python exec="on" session="p"\n--8<-- "snippets/predict.py:imports"\n```\n'


@pytest.fixture
def snippets(tmp_path):
    """A copy of the snippet modules, free to edit."""
    copy = tmp_path / "snippets"
    shutil.copytree(ROOT / "snippets", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def touch(path):
    """Change a module the way an author would: one more comment line."""
    with Path(path).open("a", encoding="utf-8") as module:
        module.write(f"\n# 改了一行 {time.monotonic_ns()}\n")


class FakeMarkdownExec:
    """Stands in for markdown-exec's rendering of a block and counts the blocks it is asked to run."""

    def __init__(self):
        self.ran = []

    def __call__(self, source, options, md):
        self.ran.append(source)
        return f"<pre>output {len(self.ran)}</pre>"


def render(outputs, markdown, page="p.md"):
    """What the plugin does for one page: begin, one formatter call per exec block, end."""
    outputs.begin(page, markdown)
    html = [outputs.format(block, "python", "python", {}, None) for block in exec_blocks(markdown)]
    outputs.end()
    return html


def test_page_outputs_are_computed_again_only_when_the_code_they_run_changes(tmp_path, snippets, monkeypatch):
    imported = []
    monkeypatch.setattr("sitebuild.outputs.import_or_fail", lambda names, context: imported.append(names))  # no real import
    fake = FakeMarkdownExec()
    outputs = PageOutputs(tmp_path / "cache", snippets, REQUIREMENTS, render=fake)
    page = "# 一页\n\n" + IMPORTS_BLOCK

    first = render(outputs, page)
    assert len(fake.ran) == 1 and imported == [["checks", "style", "predict"]]  # dependencies first
    assert render(outputs, page) == first and len(fake.ran) == 1  # nothing changed: nothing runs
    assert render(outputs, page.replace("一页", "改过的一页")) == first and len(fake.ran) == 1  # prose only
    touch(snippets / "hot_cold.py")  # a module the page does not import
    render(outputs, page)
    assert len(fake.ran) == 1
    for module in ("predict", "style", "checks"):  # the module itself and what it imports
        touch(snippets / f"{module}.py")
        render(outputs, page)
        assert len(fake.ran) == 2 and render(outputs, page) and len(fake.ran) == 2, module
        fake.ran.pop()
    render(outputs, page + IMPORTS_BLOCK.replace('"p"', '"p" result="text"'))  # a block changed
    assert len(fake.ran) == 3


def test_page_outputs_prune_what_no_page_uses(tmp_path, snippets, monkeypatch):
    monkeypatch.setattr("sitebuild.outputs.import_or_fail", lambda names, context: None)
    outputs = PageOutputs(tmp_path / "cache", snippets, REQUIREMENTS, render=FakeMarkdownExec())
    render(outputs, IMPORTS_BLOCK)
    outputs.prune()
    before = sorted((tmp_path / "cache" / "outputs").iterdir())
    touch(snippets / "predict.py")
    render(outputs, IMPORTS_BLOCK)
    outputs.prune()
    after = sorted((tmp_path / "cache" / "outputs").iterdir())
    assert len(before) == len(after) == 1 and before != after


def test_a_failing_block_stops_with_one_line_naming_the_snippet_line(tmp_path, snippets):
    """The runner holds the exception itself: a failure in a block's own lines names the line of its
    section in the module; one inside a snippet function names that function's line."""
    with (snippets / "predict.py").open("a", encoding="utf-8") as module:
        module.write("\n# --8<-- [start:broken]\nx = 1\ny = x / 0\n# --8<-- [end:broken]\n")
    lines = (snippets / "predict.py").read_text(encoding="utf-8").splitlines()
    outputs = PageOutputs(tmp_path / "cache", snippets, REQUIREMENTS)
    page = '```python exec="on" session="p" result="text"\n--8<-- "snippets/predict.py:broken"\n```\n'
    outputs.begin("p.md", page)
    with pytest.raises(SnippetError) as failure:
        outputs.format("x = 1\ny = x / 0", "python", "python", {"session": "p"}, None)
    assert str(failure.value) == f"docs/p.md: {snippets / 'predict.py'}:{lines.index('y = x / 0') + 1}: " \
                                 "ZeroDivisionError: division by zero"
    outputs.begin("p.md", page)  # inside a snippet function: the innermost frame in snippets/
    with pytest.raises(SnippetError, match=r"^docs/p\.md: snippets/checks\.py:\d+: ValueError: predictions 必须是有限的数"):
        outputs.format("from snippets.predict import mean_squared_error\nmean_squared_error([float('nan')], [1])",
                       "python", "python", {"session": "p"}, None)
    outputs.begin("p.md", page)  # the control: a block that runs shows what it printed
    import markdown

    md = markdown.Markdown(extensions=["pymdownx.superfences"])
    assert "x = 1" in outputs.format("x = 1\nprint('x =', x)", "python", "python", {"session": "p", "result": "text"}, md)


def test_exec_blocks_finds_every_fence_that_runs():
    page = (ROOT / "docs" / "predict.md").read_text(encoding="utf-8")
    assert len(exec_blocks(page)) == page.count('exec="on"') > 5
    nested = '1. 练习\n\n    ??? success "答案"\n\n        ```python exec="on" session="s"\n        --8<-- "x"\n        ```\n'
    assert exec_blocks(nested) == ['        ```python exec="on" session="s"\n        --8<-- "x"\n        ```']
    assert exec_blocks('```python\n--8<-- "snippets/predict.py:imports"\n```\n') == []  # shown, not run


def write_notebook(folder, name, *cells):
    """A jupytext notebook: each cell a string; a cell starting with '#' is Markdown."""
    text = "\n\n".join(f"# %% [markdown]\n{c}" if c.startswith("#") else f"# %%\n{c}" for c in cells)
    path = Path(folder) / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_a_notebook_key_follows_the_snippets_it_imports(tmp_path, snippets):
    folder = tmp_path / "notebooks"
    uses_predict = write_notebook(folder, "a", "from snippets.predict import neural_network")
    uses_hot_cold = write_notebook(folder, "b", "import snippets.hot_cold")
    notebooks = Notebooks(folder, tmp_path / "cache", snippets, REQUIREMENTS)
    keys = lambda: (notebooks.key(uses_predict), notebooks.key(uses_hot_cold))  # noqa: E731

    a, b = keys()
    touch(snippets / "predict.py")
    assert keys()[0] != a and keys()[1] == b
    a, b = keys()
    touch(snippets / "style.py")  # both import it, one through the other
    assert keys()[0] != a and keys()[1] != b
    a, b = keys()
    touch(uses_hot_cold)
    assert keys() == (a, notebooks.key(uses_hot_cold)) and keys()[1] != b


def test_notebooks_are_executed_once_and_stored_clean(tmp_path):
    folder = tmp_path / "notebooks"
    write_notebook(folder, "first", "# 第一本", "import time\nsecret = 42\nprint('a', flush=True)\ntime.sleep(0.3)\nprint('b')", "1 + 1")
    write_notebook(folder, "second", "print('secret' in dir())", "3 * 3")
    notebooks = Notebooks(folder, tmp_path / "cache", ROOT / "snippets", REQUIREMENTS)
    paths = notebooks.start()
    assert notebooks.ran == ["first", "second"]
    notebooks.wait()
    first = nbformat.read(paths["first"] / "notebooks" / "first.ipynb", 4)
    assert [cell.id for cell in first.cells] == ["cell-1", "cell-2", "cell-3"]
    assert first.cells[1].outputs == [{"output_type": "stream", "name": "stdout", "text": "a\nb\n"}]  # one stream
    assert first.cells[2].execution_count == 2 and first.cells[2].outputs[0]["data"]["text/plain"] == "2"
    assert "jupytext" not in first.metadata and "execution" not in first.cells[1].metadata
    second = nbformat.read(paths["second"] / "notebooks" / "second.ipynb", 4)
    assert second.cells[0].execution_count == 1  # counted from 1 in every notebook
    assert second.cells[1].outputs[0]["execution_count"] == 2  # results too, though the kernel is shared
    assert second.cells[0].outputs[0]["text"] == "False\n"  # the first notebook's names are gone
    again = Notebooks(folder, tmp_path / "cache", ROOT / "snippets", REQUIREMENTS)
    assert again.start() == paths and again.ran == []


BLAS_THREADS = """
import json, sitebuild, numpy, threadpoolctl
print(json.dumps([pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]))
"""
BLAS_KERNEL = BLAS_THREADS.replace('pool["num_threads"]', 'pool["architecture"]')


def test_the_build_gives_each_process_one_blas_thread():
    """Importing sitebuild before numpy leaves numpy's BLAS one thread (sitebuild/blas.py)."""
    import json

    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    found = subprocess.run([sys.executable, "-c", BLAS_THREADS], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(found.stdout) == [1]
    if len(os.sched_getaffinity(0)) > 1:  # the control: numpy alone starts a thread per core it may use
        alone = subprocess.run([sys.executable, "-c", BLAS_THREADS.replace("sitebuild, ", "")], cwd=ROOT, env=env,
                               capture_output=True, text=True, check=True)
        assert json.loads(alone.stdout)[0] > 1


def test_the_build_uses_one_blas_kernel_on_every_avx2_machine(tmp_path):
    """Importing sitebuild before numpy gives OpenBLAS the AVX2 kernel where the CPU has AVX2, whatever
    kernel OpenBLAS would choose itself; a CPU without AVX2 keeps OpenBLAS's choice."""
    import json

    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma avx512f\n")
    assert blas.blas_kernel(cpuinfo) == "Haswell"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx\n")
    assert blas.blas_kernel(cpuinfo) is None
    assert blas.blas_kernel(tmp_path / "absent") is None
    if blas.blas_kernel() is None:
        pytest.skip("this CPU has no AVX2: OpenBLAS keeps its own kernel")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    found = subprocess.run([sys.executable, "-c", BLAS_KERNEL], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(found.stdout) == ["Haswell"]


def test_a_failing_notebook_stops_with_one_line(tmp_path):
    folder = tmp_path / "notebooks"
    write_notebook(folder, "broken", "x = 1", "from snippets.predict import mean_squared_error\nmean_squared_error([float('nan')], [1])")
    notebooks = Notebooks(folder, tmp_path / "cache", ROOT / "snippets", REQUIREMENTS)
    notebooks.start()
    with pytest.raises(SnippetError) as failure:
        notebooks.wait()
    line = next(n for n, text in enumerate((ROOT / "snippets" / "checks.py").read_text().splitlines(), 1)
                if "必须是有限的数" in text and "raise" in text)
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith(f"{folder / 'broken.py'}: cell 2: snippets/checks.py:{line}: ValueError: predictions 必须是有限的数")


def test_a_syntax_error_names_the_file_and_line(tmp_path, snippets):
    (snippets / "backprop.py").write_text("def f(:\n    pass\n", encoding="utf-8")  # the first module drawn
    with pytest.raises(SnippetError, match=r"^docs/backprop\.md: .*snippets/backprop\.py:1: SyntaxError"):
        build_figures(tmp_path / "cache", snippets, REQUIREMENTS)


# --- Repairs of rendered notebook pages: each must still find what it repairs ----------------


@pytest.fixture(scope="module")
def rendered_notebook(tmp_path_factory):
    """A small executed notebook as mkdocs-jupyter renders it."""
    from mkdocs_jupyter.convert import nb2html

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("## 误差的变化"), nbformat.v4.new_code_cell("print(1)", execution_count=1,
               outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")])],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    path = tmp_path_factory.mktemp("nb") / "n.ipynb"
    nbformat.write(notebook, path)
    return nb2html(str(path), highlight_extra_classes="highlight")  # as mkdocs.yml asks


def test_drop_notebook_css_removes_every_style_block(rendered_notebook):
    styles = re.findall(r"<style\b[^>]*>.*?</style>", rendered_notebook, re.S)
    assert sum(map(len, styles)) > 100_000  # nbconvert's JupyterLab CSS, inlined
    assert "<style" not in repairs.drop_notebook_css(rendered_notebook)


def test_drop_notebook_scripts_removes_the_loaders_and_the_copy_polyfill(rendered_notebook):
    loader = re.compile(r"<script[^>]*\bsrc=|import\(|https?://\S*(?:cdn|jsdelivr|unpkg)")
    assert len(loader.findall(rendered_notebook)) >= 2  # MathJax's script tag, mermaid's import
    assert "clipboard-copy" in rendered_notebook
    dropped = repairs.drop_notebook_scripts(rendered_notebook)
    assert "<script" not in dropped and not loader.findall(dropped)


def test_drop_copy_buttons_removes_button_and_hidden_source(rendered_notebook):
    assert rendered_notebook.count('class="zeroclipboard-container"') == 1
    assert rendered_notebook.count('class="clipboard-copy-txt"') == 1
    text = lambda html: re.sub(r"<[^>]+>", "", html)  # noqa: E731
    assert text(rendered_notebook).count("print(1)") == 2  # the highlighted code and its hidden copy
    dropped = repairs.drop_copy_buttons(repairs.drop_notebook_scripts(repairs.drop_notebook_css(rendered_notebook)))
    assert "clipboard-copy" not in dropped and text(dropped).count("print(1)") == 1


def test_slug_notebook_headings_gives_chinese_headings_an_anchor(rendered_notebook):
    assert '<h2 id="">' in rendered_notebook  # what nbconvert writes for a Chinese heading
    html, anchors = repairs.slug_notebook_headings(rendered_notebook)
    assert anchors == {"误差的变化": "误差的变化"} and '<h2 id="误差的变化">' in html


def test_label_for_readers_finds_its_markup(rendered_notebook):
    import material

    search = (Path(material.__file__).parent / "templates" / "partials" / "search.html").read_text(encoding="utf-8")
    assert '<div class="md-search" data-md-component="search" role="dialog">' in search
    labelled = repairs.label_for_readers(search + rendered_notebook, notebook=True)
    assert 'role="dialog" aria-label="搜索"' in labelled
    assert '<div class="highlight-ipynb hl-python highlight" tabindex="0">' in labelled


# --- dev.py --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(not (ROOT / ".venv").is_dir(), reason="dev.py runs from .venv, which `python3 dev.py` creates")
def test_sigterm_to_dev_py_stops_the_server(clean_build):
    port = free_port()
    server = subprocess.Popen(  # with the cache a clean build filled, the server starts after a quick build
        [sys.executable, "dev.py", "serve", "-a", f"127.0.0.1:{port}", "--no-livereload"],
        cwd=ROOT, env={**os.environ, "SITE_CACHE_DIR": str(clean_build.cache)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not listening(port):
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        assert not listening(port), "something still serves the port after dev.py was stopped"
    finally:
        if server.poll() is None:
            server.kill()
