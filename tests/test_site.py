"""The site as a whole: one source for code, figures drawn from snippets, a strict build, clear failures."""

import ast
import re
import shutil
import warnings
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from sitebuild.cache import NOT_PAGES as SHARED, page_modules
from sitebuild.figures import build_figures, dark_twins, figure_names

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
INCLUDE = re.compile(r'^\s*--8<--\s+"([^":]+)(?::([\w-]+))?"\s*$')
FIGURE_LINK = re.compile(r"!\[([^\]]*)\]\((?:\.\./)*figures/(\w+)/(\w+)\.svg\)")
CJK = re.compile(r"[\u4e00-\u9fff]")


def fences(text):
    """(info string, body lines, line number) of every fenced block in a Markdown text."""
    lines, i = text.splitlines(), 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        start, marker, body = i, match[2], []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(marker):
            body.append(lines[i])
            i += 1
        yield match[3].strip(), body, start + 1
        i += 1


def python_fences():
    for page in PAGES:
        for info, body, line in fences(page.read_text(encoding="utf-8")):
            if re.match(r"\{?\.?(python|py|pycon)\b", info):
                yield page, info, body, line


def section_names(path):
    return set(re.findall(r"# --8<-- \[start:([\w-]+)\]", Path(path).read_text(encoding="utf-8")))


def test_every_python_block_only_includes_snippets():
    typed = [
        f"{page.relative_to(ROOT)}:{line}"
        for page, _, body, line in python_fences()
        if any(l.strip() and not INCLUDE.match(l) for l in body) or not any(INCLUDE.match(l) for l in body)
    ]
    assert not typed, f"Python typed into Markdown instead of included from snippets/: {typed}"


def test_every_include_names_an_existing_section():
    missing = []
    for page, _, body, line in python_fences():
        for text in body:
            match = INCLUDE.match(text)
            if match:
                path, section = ROOT / match[1], match[2]
                if not path.is_file() or (section and section not in section_names(path)):
                    missing.append(f"{page.name}:{line}: {match[1]}:{section}")
    assert not missing


def test_sections_are_balanced_in_every_snippet():
    for path in (ROOT / "snippets").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        starts = re.findall(r"# --8<-- \[start:([\w-]+)\]", text)
        ends = re.findall(r"# --8<-- \[end:([\w-]+)\]", text)
        assert sorted(starts) == sorted(ends), path.name
        assert len(starts) == len(set(starts)), f"{path.name}: a section name is used twice"


# ---------------------------------------------------------------- one module per page

NOT_PAGES = {"__init__", "checks", "style"}  # shared by every page; no page of their own
SHOWN_ONCE = {"predict": "snippets/checks.py"}  # the argument checks, shown where the first one appears
ANSWER = re.compile(r'^(\s*)\?\?\? success "参考答案"\s*$')
MAIN_BLOCK = 'if __name__ == "__main__":\n    main()\n    for exercise in EXERCISES:\n        exercise()'


def own_module(page_name):
    """docs/<page>.md takes its code from snippets/<page with - as _>.py."""
    return f"snippets/{page_name.replace('-', '_')}.py"


def included(body):
    """(file, section) of each include line in a fenced block's body."""
    return [(m[1], m[2]) for m in map(INCLUDE.match, body) if m]


def answer_blocks(text):
    """The lines of each ``??? success "参考答案"`` block: everything indented deeper than its marker."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        marker = ANSWER.match(line)
        if marker:
            block = []
            for inner in lines[i + 1:]:
                if inner.strip() and len(inner) - len(inner.lstrip()) <= len(marker[1]):
                    break
                block.append(inner)
            yield i + 1, "\n".join(block)


def page_problems(page_name, text, exercises):
    """How a page's Markdown breaks the one-module-per-page rule; ``exercises`` is its module's EXERCISES, by name."""
    own, problems = own_module(page_name), []
    blocks = [(info, body, line) for info, body, line in fences(text) if included(body)]
    for info, body, line in blocks:
        problems += [f"{page_name}.md:{line}: includes {path}, not {own}" for path, _ in included(body)
                     if path not in (own, SHOWN_ONCE.get(page_name))]
    executed = [body for info, body, _ in blocks if 'exec="on"' in info]
    if blocks and (not executed or included(executed[0]) != [(own, "imports")]):
        problems.append(f"{page_name}.md: the first exec block must run only {own}:imports")
    answered = []
    for line, block in answer_blocks(text):
        sections = [(info, section) for info, body, _ in fences(block) for _, section in included(body)]
        answers = [(info, section) for info, section in sections if section.startswith("exercise_")]
        if not answers:
            problems.append(f"{page_name}.md:{line}: an answer block that includes no exercise_* section")
        for info, section in answers:
            if 'exec="on"' not in info or 'result="text"' not in info:
                problems.append(f"{page_name}.md:{line}: {section} must run with exec=\"on\" and result=\"text\"")
            answered.append(section)
    outside = [s for info, body, _ in blocks for _, s in included(body) if s.startswith("exercise_")]
    if len(outside) != len(answered):
        problems.append(f"{page_name}.md: exercise_* sections included outside an answer block")
    if answered != list(exercises):
        problems.append(f"{page_name}.md: answer blocks include {answered}, but EXERCISES is {list(exercises)}")
    return problems


def module_problems(name, text):
    """How a snippet module's text breaks the exercise convention.

    Each ``exercise_<name>()`` is exactly the section ``exercise_<name>``; ``EXERCISES`` lists every one of
    them; the module ends with ``EXERCISES`` and a ``__main__`` block that runs main() and then each exercise.
    """
    tree, lines, problems = ast.parse(text), text.splitlines(), []
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    exercises = [f for f in functions if f.name.startswith("exercise_")]
    for f in exercises:
        start, end = f"    # --8<-- [start:{f.name}]", f"    # --8<-- [end:{f.name}]"
        if lines[f.lineno] != start or len(lines) <= f.end_lineno or lines[f.end_lineno] != end:
            problems.append(f"{name}.py: the body of {f.name}() is not exactly its section {f.name}")
    if "main" not in {f.name for f in functions}:
        problems.append(f"{name}.py: no main()")
    *_, listed, run = tree.body
    if not (isinstance(listed, ast.Assign) and ast.unparse(listed.targets[0]) == "EXERCISES"):
        problems.append(f"{name}.py: EXERCISES = [...] is not next to last")
    elif [ast.unparse(e) for e in listed.value.elts] != [f.name for f in exercises]:
        problems.append(f"{name}.py: EXERCISES does not list each exercise_* function once, in order")
    if ast.dump(run) != ast.dump(ast.parse(MAIN_BLOCK).body[0]):
        problems.append(f"{name}.py: the module does not end with\n{MAIN_BLOCK}")
    return problems


def exercise_names(module_path):
    listed = [n for n in ast.parse(module_path.read_text(encoding="utf-8")).body
              if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "EXERCISES"]
    return [ast.unparse(e) for e in listed[0].value.elts] if listed else []


def chapter_module_paths():
    return sorted(p for p in (ROOT / "snippets").glob("*.py") if p.stem not in NOT_PAGES)


def test_every_page_takes_its_code_from_its_own_module_only():
    problems = []
    for page in PAGES:
        module = ROOT / own_module(page.stem)
        exercises = exercise_names(module) if module.is_file() else []
        problems += page_problems(page.stem, page.read_text(encoding="utf-8"), exercises)
    assert not problems, "\n".join(problems)


def test_every_exercise_is_a_whole_function_listed_in_exercises():
    problems = []
    for path in chapter_module_paths():
        problems += module_problems(path.stem, path.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_every_snippet_module_has_its_page():
    pages = {page.stem for page in PAGES}
    assert [p.name for p in chapter_module_paths() if p.stem.replace("_", "-") not in pages] == []


MADE_UP_PAGE = """# 冷热学习

```python exec="on" session="hot_cold"
--8<-- "snippets/hot_cold.py:imports"
```

```python exec="on" session="hot_cold" source="above"
--8<-- "snippets/{module}.py:hot_cold_step"
```

1. 练习

    ??? success "参考答案"

        ```python exec="on" session="hot_cold" source="above" result="text"
        --8<-- "snippets/hot_cold.py:{answer}"
        ```
"""


def test_the_page_rule_can_fail():
    """Controls: a made-up page passes when it keeps to the rule, and fails on each kind of break."""
    good = MADE_UP_PAGE.format(module="hot_cold", answer="exercise_step_0_003")
    assert page_problems("hot-cold", good, ["exercise_step_0_003"]) == []
    foreign = page_problems("hot-cold", MADE_UP_PAGE.format(module="predict", answer="exercise_step_0_003"),
                            ["exercise_step_0_003"])
    assert foreign == ["hot-cold.md:7: includes snippets/predict.py, not snippets/hot_cold.py"]
    bare = page_problems("hot-cold", MADE_UP_PAGE.format(module="hot_cold", answer="book_run"), ["exercise_step_0_003"])
    assert "hot-cold.md:13: an answer block that includes no exercise_* section" in bare
    assert any("but EXERCISES is ['exercise_step_0_003']" in problem for problem in bare)
    no_text = good.replace(' result="text"', "")
    assert page_problems("hot-cold", no_text, ["exercise_step_0_003"]) == [
        'hot-cold.md:13: exercise_step_0_003 must run with exec="on" and result="text"']


def test_the_module_rule_can_fail():
    """Controls: a made-up module passes when it keeps to the convention, and fails on each kind of break."""
    good = (
        "def main():\n    pass\n\n\n"
        "def exercise_a():\n    # --8<-- [start:exercise_a]\n    print(1)\n    # --8<-- [end:exercise_a]\n\n\n"
        f"EXERCISES = [exercise_a]\n\n{MAIN_BLOCK}\n"
    )
    assert module_problems("made_up", good) == []
    longer = good.replace("    # --8<-- [end:exercise_a]\n", "    # --8<-- [end:exercise_a]\n    print(2)\n")
    assert module_problems("made_up", longer) == [
        "made_up.py: the body of exercise_a() is not exactly its section exercise_a"]
    unlisted = good.replace("EXERCISES = [exercise_a]", "EXERCISES = []")
    assert module_problems("made_up", unlisted) == [
        "made_up.py: EXERCISES does not list each exercise_* function once, in order"]


def referenced_figures():
    found = {}
    for page in PAGES:
        for alt, module, name in FIGURE_LINK.findall(page.read_text(encoding="utf-8")):
            found.setdefault((module, name), []).append((page.name, alt))
    return found


def declared_figures():
    return {
        (module, name)
        for module in page_modules(ROOT / "snippets")
        for name in figure_names(ROOT / "snippets" / f"{module}.py")
    }


def test_every_figure_a_page_uses_is_drawn_by_a_snippet():
    assert set(referenced_figures()) <= declared_figures()


def test_every_snippet_figure_is_used_by_a_page():
    assert declared_figures() <= set(referenced_figures())


def test_every_figure_has_chinese_alt_text():
    for (module, name), uses in referenced_figures().items():
        for page, alt in uses:
            assert len(CJK.findall(alt)) >= 8, f"{page}: figure {module}/{name} needs a meaningful Chinese alt text"


def test_figures_are_deterministic_and_drawn_with_the_cjk_font(tmp_path):
    from snippets import predict
    from snippets.style import save_svg

    for name, draw in predict.FIGURES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font(s)" would fail here
            save_svg(draw(), tmp_path / "a.svg")
            save_svg(draw(), tmp_path / "b.svg")
        svg = (tmp_path / "a.svg").read_bytes()
        assert svg == (tmp_path / "b.svg").read_bytes(), name
        assert b"<dc:date>" not in svg
        # matplotlib names each glyph path after its font: the Chinese title's glyphs come from Noto Sans CJK
        assert re.search(rb'id="NotoSansCJK[^"]*-(4e|5[0-9a-f]|6|7|8|9)[0-9a-f]*"', svg), name


def svg_shape(svg):
    """(tag, attributes with every number rounded to 0.01) for each element of an SVG, in document order;
    path data is read as (command, numbers) pairs, so spacing does not count."""
    import xml.etree.ElementTree as ET

    def numbers(text):
        return [round(float(n), 2) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]

    shape = []
    for element in ET.fromstring(svg).iter():
        attributes = {}
        for key, value in element.attrib.items():
            if key == "d":
                attributes[key] = [(c, numbers(args)) for c, args in re.findall(r"([A-Za-z])([^A-Za-z]*)", value)]
            elif re.fullmatch(r"[-\d. ]+|(translate|scale)\(.*\)", value) or key in "xy":
                attributes[key] = (re.sub(r"[-\d.]+", "#", value), numbers(value))
            else:
                attributes[key] = value
        shape.append((element.tag, attributes))
    return shape


def test_compact_svg_keeps_every_element_and_every_coordinate_to_a_hundredth_of_a_point():
    """The site's figures are compacted (sitebuild.figures.compact_svg): the same elements in the same order,
    the same path commands, every number within 0.005 of matplotlib's; and they are smaller."""
    import io

    from sitebuild.figures import compact_svg
    from snippets import backprop
    from snippets.style import save_svg

    buffer = io.BytesIO()
    save_svg(backprop.plot_network(), buffer)
    original = buffer.getvalue()
    compact = compact_svg(original)
    without_metadata = [element for element in svg_shape(original) if "metadata" not in element[0]
                        and not any(part in element[0] for part in ("RDF", "Work", "format", "type"))]
    assert svg_shape(compact) == without_metadata
    assert compact == compact_svg(original) and compact_svg(compact) == compact
    assert len(compact) < 0.9 * len(original)
    # control: moving one coordinate by 0.02 pt is seen
    first = re.search(rb'd="M(-?[\d.]+)', compact)
    moved = compact[:first.start(1)] + b"%.2f" % (float(first[1]) + 0.02) + compact[first.end(1):]
    assert svg_shape(moved) != without_metadata


def test_figures_are_drawn_in_both_palettes_from_the_same_function(tmp_path):
    """The dark figure is the light one's drawing with the dark palette's colours, and the palette is restored."""
    import matplotlib.colors

    from snippets import predict
    from snippets.style import BLUE, PALETTES, palette, save_svg

    svgs = {}
    for name in ("light", "dark", "light"):
        with palette(name):
            save_svg(predict.plot_error_parabola(), tmp_path / f"{name}.svg")
        svgs[name] = (tmp_path / f"{name}.svg").read_text(encoding="utf-8")
    light, dark = svgs["light"], svgs["dark"]
    assert light != dark
    for key in ("blue", "paper", "ink"):  # the colours of the palette it was drawn in, and not the other's
        assert PALETTES["light"][key] in light and PALETTES["light"][key] not in dark, key
        assert PALETTES["dark"][key] in dark and PALETTES["dark"][key] not in light, key
    # the same drawing: the same texts, glyphs and paths in the same places; only the colours differ
    drawing = re.compile(r'<!-- .*? -->| d="[^"]*"|<use xlink:href="#[A-Z][^"]*"[^>]*>')
    assert drawing.findall(light) == drawing.findall(dark) != []
    assert matplotlib.colors.to_hex(BLUE) == PALETTES["light"]["blue"]  # back to light after the block


def test_dark_twins_gives_every_figure_line_its_dark_figure():
    page = (
        "正文 ![不是单独一行的图](figures/predict/why_square.svg) 不改。\n\n"
        "![误差随权重变化的抛物线](figures/predict/error_parabola.svg)\n\n"
        '<div class="explorer" markdown="1">\n\n    ![缩进的图](../figures/hot_cold/large_step.svg)  \n</div>\n'
    )
    assert dark_twins(page) == (
        "正文 ![不是单独一行的图](figures/predict/why_square.svg) 不改。\n\n"
        "![误差随权重变化的抛物线](figures/predict/error_parabola.svg#only-light)"
        "![误差随权重变化的抛物线](figures/predict/error_parabola-dark.svg#only-dark)\n\n"
        '<div class="explorer" markdown="1">\n\n    ![缩进的图](../figures/hot_cold/large_step.svg#only-light)'
        "![缩进的图](../figures/hot_cold/large_step-dark.svg#only-dark)\n</div>\n"
    )
    # every figure the pages use stands on a line of its own, so each gets its twin
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert len(FIGURE_LINK.findall(text)) == dark_twins(text).count("-dark.svg#only-dark)"), page.name


def test_build_figures_draws_only_what_changed(tmp_path):
    snippets = tmp_path / "snippets"
    shutil.copytree(ROOT / "snippets", snippets, ignore=shutil.ignore_patterns("__pycache__"))
    for path in snippets.glob("*.py"):
        if path.stem not in SHARED | {"predict"}:
            path.unlink()
    cache = tmp_path / "cache"
    figures, drawn = build_figures(cache, snippets, ROOT / "requirements.txt")
    names = figure_names(snippets / "predict.py")
    assert drawn == len(figures) == 2 * len(names)  # each in the light and the dark palette
    assert sorted(figures) == sorted(f"figures/predict/{n}{s}.svg" for n in names for s in ("", "-dark"))
    assert build_figures(cache, snippets, ROOT / "requirements.txt") == (figures, 0)
    (snippets / "predict.py").write_text((snippets / "predict.py").read_text() + "\n# 改了一行注释\n")
    new_figures, drawn = build_figures(cache, snippets, ROOT / "requirements.txt")
    assert drawn == len(figures) and new_figures.keys() == figures.keys()
    assert sorted(p.name for p in (cache / "figures" / "predict").iterdir()) == sorted(
        p.name for p in new_figures.values()
    ), "the stale figures were not removed from the cache"


def test_built_chapter_1_holds_code_output_and_figure(built_site):
    html = (built_site / "predict" / "index.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "def neural_network(input, weight):" in text  # included code
    assert "prediction = 1.0" in text  # build-time output
    assert re.search(r"error = 0\.0399999", text)
    assert re.search(r'<img [^>]*src="\.\./figures/predict/error_parabola\.svg#only-light"', html)
    assert re.search(r'<img [^>]*src="\.\./figures/predict/error_parabola-dark\.svg#only-dark"', html)
    assert (built_site / "figures" / "predict" / "error_parabola.svg").is_file()
    assert (built_site / "figures" / "predict" / "error_parabola-dark.svg").is_file()
    assert re.search(r'<img width="\d+" height="\d+"', html)
    assert 'class="arithmatex"' in html


def test_headings_keep_their_chinese_characters(built_site):
    html = (built_site / "predict" / "index.html").read_text(encoding="utf-8")
    assert 'id="为什么要平方"' in html


def test_search_index_finds_chapter_1_for_weight(built_site):
    import json

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    hits = {doc["location"].split("#")[0] for doc in index["docs"] if "权重" in doc["text"] + doc["title"]}
    assert "predict/" in hits


def test_notebook_page_is_executed_and_downloadable(built_site):
    html = (built_site / "notebooks" / "predict" / "index.html").read_text(encoding="utf-8")
    assert "prediction = 1.0" in unescape(re.sub(r"<[^>]+>", "", html))  # executed at build time
    assert "<svg" in html  # its plot
    assert 'href="../predict.zip"' in html
    assert "pip install -r requirements.txt jupyterlab &amp;&amp; jupyter lab predict.ipynb" in html  # the one command
    import zipfile

    import nbformat

    with zipfile.ZipFile(built_site / "notebooks" / "predict.zip") as bundle:
        notebook = nbformat.reads(bundle.read("predict/predict.ipynb").decode("utf-8"), 4)
    nbformat.validate(notebook)
    assert any("neural_network" in cell.source for cell in notebook.cells)


def test_built_site_loads_nothing_from_other_hosts(built_site):
    loads = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)="((?:https?:)?//[^"]+)"')
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not loads.findall(html), f"{page.relative_to(built_site)} loads from another host"
        assert not re.search(r"cdnjs|cdn\.jsdelivr|unpkg\.com|fonts\.googleapis", html), page
    for sheet in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", sheet.read_text(encoding="utf-8")), sheet


def mini_project(tmp_path, page, edit_snippets=None):
    """A copy of the project with one page, chapter 1's module and no notebooks, to build quickly."""
    others = [f"{m}.py" for m in page_modules(ROOT / "snippets") if m != "predict"]
    shutil.copytree(ROOT / "snippets", tmp_path / "snippets", ignore=shutil.ignore_patterns("__pycache__", *others))
    shutil.copytree(ROOT / "sitebuild", tmp_path / "sitebuild", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    shutil.copytree(ROOT / "tests", tmp_path / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (tmp_path / "tests" / "test_predict.py").write_text("", encoding="utf-8")  # the page links to its tests
    shutil.copy(ROOT / "requirements.txt", tmp_path / "requirements.txt")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^nav:\n(?:  .*\n)+", "", config, flags=re.M)
    config = re.sub(r"^  - mkdocs-jupyter:\n(?:      .*\n)+", "", config, flags=re.M)
    config = re.sub(r"^  - search:\n(?:      .*\n)+", "", config, flags=re.M)  # no Chinese index to build
    config = re.sub(r"^extra_javascript:\n(?:  .*\n)+", "", config, flags=re.M)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    if edit_snippets:
        edit_snippets(tmp_path / "snippets")
    return build_site(tmp_path / "site", cache_dir=tmp_path / "cache", project=tmp_path)


def test_a_figure_that_raises_fails_the_build_naming_module_and_figure(tmp_path):
    def break_a_figure(snippets):
        path = snippets / "predict.py"
        text = path.read_text(encoding="utf-8")
        text = text.replace('    """差、差的绝对值与差的平方', '    raise ZeroDivisionError("坏掉的图")\n    """', 1)
        path.write_text(text, encoding="utf-8")

    result = mini_project(tmp_path, "# 测试\n", break_a_figure)
    assert result.returncode != 0
    line = (tmp_path / "snippets" / "predict.py").read_text(encoding="utf-8").splitlines().index(
        '    raise ZeroDivisionError("坏掉的图")') + 1
    errors = [l for l in result.stderr.splitlines() if l.startswith("ERROR")]
    assert errors == [
        f"ERROR   -  docs/predict.md: snippets/predict.py:{line}: figure 'why_square' failed: ZeroDivisionError: 坏掉的图"
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_formula_that_does_not_typeset_fails_the_build_naming_page_and_formula(tmp_path):
    result = mini_project(tmp_path, "# 测试\n\n误差是 \\(E = \\frac{1}{2\\)，少了一个括号。\n")
    assert result.returncode != 0
    assert "index.md: the formula \\(E = \\frac{1}{2\\) does not typeset" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_page_including_a_missing_section_fails_the_build(tmp_path):
    page = '# 测试\n\n```python\n--8<-- "snippets/predict.py:no_such_section"\n```\n'
    result = mini_project(tmp_path, page)
    assert result.returncode != 0
    assert "no_such_section" in result.stdout + result.stderr


def test_a_page_including_a_missing_file_fails_the_build(tmp_path):
    page = '# 测试\n\n```python\n--8<-- "snippets/no_such_module.py:imports"\n```\n'
    result = mini_project(tmp_path, page)
    assert result.returncode != 0
    assert "no_such_module.py" in result.stdout + result.stderr


def test_a_mini_site_builds(tmp_path):
    """The control for the failure tests above: the same mini project, unbroken, builds."""
    page = '# 测试\n\n```python exec="on" session="t" source="above" result="text"\n--8<-- "snippets/predict.py:imports"\n```\n'
    result = mini_project(tmp_path, page)
    assert result.returncode == 0, result.stderr
