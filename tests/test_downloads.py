"""Each notebook page's download (``sitebuild/downloads.py``) runs on its own, away from this repository."""

import ast
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

NOTEBOOKS = sorted(p.stem for p in (ROOT / "docs" / "notebooks").glob("*.py"))
RUN = """
import json, sys, nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], 4)
NotebookClient(notebook, timeout=300, resources={"metadata": {"path": "."}}).execute()
notebook.cells.append(nbformat.v4.new_code_cell("import snippets; print(snippets.__file__)"))
client = NotebookClient(notebook, timeout=60, resources={"metadata": {"path": "."}})
client.execute()
print(json.dumps([output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])]))
"""


def away_from_the_repository():
    """The environment of a process that cannot import this repository's ``snippets``: no PYTHONPATH."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_download_holds_the_notebook_its_snippets_and_pinned_requirements(built_site, name):
    with zipfile.ZipFile(built_site / "notebooks" / f"{name}.zip") as bundle:
        names = set(bundle.namelist())
        executed = json.loads(bundle.read(f"{name}/{name}.ipynb"))
        requirements = bundle.read(f"{name}/requirements.txt").decode().split()
        readme = bundle.read(f"{name}/README.txt").decode()
    modules = {n.removeprefix(f"{name}/snippets/").removesuffix(".py") for n in names if "/snippets/" in n}
    imported = set()
    for module in modules | {"__init__"}:  # every snippet the notebook or its snippets import is inside
        source = (ROOT / "snippets" / f"{module}.py").read_text(encoding="utf-8")
        imported |= {node.module.split(".")[1] for node in ast.walk(ast.parse(source))
                     if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("snippets.")}
    notebook_imports = set(re.findall(r"from snippets\.(\w+) import", (ROOT / "docs" / "notebooks" / f"{name}.py").read_text()))
    assert notebook_imports <= modules and imported <= modules and "__init__" in modules
    assert any(cell.get("outputs") for cell in executed["cells"])  # the executed notebook, outputs included
    pinned = {line.split("==")[0].lower(): line for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line}
    assert requirements and all(pinned[line.split("==")[0].lower()].startswith(line) for line in requirements)
    assert f"pip install -r requirements.txt jupyterlab && jupyter lab {name}.ipynb" in readme


def test_a_download_runs_in_an_empty_folder_without_this_repository(built_site, tmp_path):
    """Unpacked into an empty folder, the notebook runs in a process that cannot import the repository's
    snippets (the control: from that folder, before unpacking, ``import snippets`` fails)."""
    control = subprocess.run([sys.executable, "-c", "import snippets"], cwd=tmp_path, env=away_from_the_repository(),
                             capture_output=True, text=True)
    assert control.returncode != 0 and "No module named 'snippets'" in control.stderr
    with zipfile.ZipFile(built_site / "notebooks" / "predict.zip") as bundle:
        bundle.extractall(tmp_path)
    folder = tmp_path / "predict"
    result = subprocess.run([sys.executable, "-c", RUN, "predict.ipynb"], cwd=folder, env=away_from_the_repository(),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert any("prediction = 1.0" in text for text in printed)
    assert printed[-1].strip() == str(folder / "snippets" / "__init__.py")  # the unpacked snippets, not ours
