"""Formulas typeset while the site is built: TeX in, MathML out, no script on the page.

How it works
------------
* ``pymdownx.arithmatex`` (``generic: true``) leaves each formula in the page as
  ``<span class="arithmatex">\\(…\\)</span>`` or ``<div class="arithmatex">\\[…\\]</div>``.
  ``render_math(html, page_name)`` puts MathML in their place, written by KaTeX
  (``output: "mathml"``) running in QuickJS inside the pinned ``pykatex`` package: the
  build needs neither Node nor the network.
* Browsers lay MathML out themselves (MathML Core: Chromium 109+, Firefox, Safari) with
  the OpenType math font STIX Two Math that the site ships (``docs/assets/fonts/``,
  ``docs/stylesheets/math.css``), preloaded by a link that ``render_math`` puts before
  the formulas. No page loads a script for it, no TeX is ever shown, nothing reflows
  when a typesetter or the font arrives, and screen readers read the MathML itself.
  A formula wider than the screen scrolls sideways in its own box, which takes the
  keyboard focus so that it can be scrolled without a mouse too.
* ``_for_chromium`` rewrites what Chromium's MathML Core ignores or draws badly in KaTeX's
  MathML: ``mathvariant`` (``\\mathbf`` becomes Unicode's mathematical bold letters,
  ``\\mathtt`` one upright identifier in the code font); the column alignment and spacing
  of ``aligned`` and ``cases`` (become styles on the cells); the ASCII ``^``/``~`` of
  ``\\hat``/``\\tilde`` (become the spacing accents); primes (set beside their base at full
  size, as the font draws them raised already); and the space around ``=`` or ``×`` in
  sub- and superscripts, or around a minus sign after a bracket, which TeX leaves out.
  The TeX annotation is dropped.
* A formula KaTeX rejects, or a letter style that has no Unicode form, raises
  ``MathError`` naming the page and the formula, and the build stops.
* Each formula is typeset once: a ``Typesetter`` remembers what it typeset, and keeps it
  in a JSON file between builds (``load``/``save``, named by a hash of this file and
  ``requirements.txt``), so a rebuild with no new formula starts no JavaScript at all.
* ``python -m sitebuild font`` writes the font subset the site ships, from the STIX Two
  Math in the pinned ``ziamath`` package: the characters the formulas in ``docs/`` use,
  plus the Latin and Greek alphabets, upright and italic. ``tests/test_formulas.py``
  checks that it holds every character the formulas need.
"""

import hashlib
import html
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pykatex

NS = "{http://www.w3.org/1998/Math/MathML}"
FONT_URL = "assets/fonts/STIXTwoMath-subset.woff2"  # in the site; the file is <docs_dir>/<FONT_URL>
_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
_DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}
_STYLES = {  # mathvariant -> the word in Unicode's names of the mathematical letters
    "bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT", "bold-script": "BOLD SCRIPT", "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD",
}
_OUTSIDE = {"SCRIPT": "SCRIPT", "FRAKTUR": "BLACK-LETTER", "DOUBLE-STRUCK": "DOUBLE-STRUCK"}  # ℒ ℭ ℝ …
_SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
_ACCENTS = {"^": "\u02c6", "~": "\u02dc"}
_PRIMES = set("\u2032\u2033\u2034")
_BINARY = set("+−±∓×⋅∗∘⊙⊗⊕÷∧∨∪∩")
_BEFORE_UNARY = _BINARY | set("([{⟨⌊⌈,;:=<>≤≥≈≡≠∼→←⟹⟸⟺⇒⇔↦∈∉⊂⊆∝≪≫∑∏∫")  # TeX: a binary op after these is unary

ET.register_namespace("", NS[1:-1])


class MathError(ValueError):
    """A formula that cannot be typeset; the message names the page and the formula."""


def render_math(page_html, page_name, font_href=None, mathml_of=None):
    """Replace every arithmatex formula in ``page_html`` by MathML; raise ``MathError`` on failure.

    ``font_href`` (the font's URL relative to the page) adds a preload link (into the
    ``<head>`` of a whole page, else in front of the fragment), so that the font is there
    before the formulas are laid out. ``mathml_of(tex, display)`` makes the MathML of one
    formula: ``tex_to_mathml``, or a ``Typesetter`` that remembers what it typeset.
    """
    mathml_of = mathml_of or tex_to_mathml

    def typeset(match):
        tag, tex = match[1], html.unescape(match[2]).strip()
        start, end = _DELIMITERS[tag]
        try:
            if not (tex.startswith(start) and tex.endswith(end)):
                raise MathError(f"not between {start} and {end}")
            mathml = mathml_of(tex[2:-2].strip(), tag == "div")
        except (pykatex.ParseError, MathError) as error:
            raise MathError(f"{page_name}: the formula {tex} does not typeset: {error}") from None
        focus = ' tabindex="0"' if tag == "div" else ""  # a wide formula scrolls sideways: by keyboard too
        return f'<{tag} class="arithmatex"{focus}>{mathml}</{tag}>'

    page_html, count = _ARITHMATEX.subn(typeset, page_html)
    if count and font_href:
        preload = f'<link rel="preload" href="{font_href}" as="font" type="font/woff2" crossorigin>'
        head_end = page_html.find("</head>")  # a whole page: into its head; a fragment: in front
        page_html = (page_html[:head_end] + preload + page_html[head_end:]) if head_end >= 0 else preload + page_html
    return page_html


def tex_to_mathml(tex, display=False):
    """One formula (TeX without delimiters) as a ``<math>`` element that Chromium shows right."""
    katex = pykatex.renderToString(tex, displayMode=display, output="mathml", throwOnError=True, strict="error")
    math = _for_chromium(ET.fromstring(katex.removeprefix('<span class="katex">').removesuffix("</span>")))
    return ET.tostring(math, encoding="unicode", short_empty_elements=False).replace(f' xmlns="{NS[1:-1]}"', "", 1)


class Typesetter:
    """``tex_to_mathml`` that typesets each formula once, and keeps what it typeset between builds.

    ``load(folder)`` reads the cache file for this file and ``requirements``; ``save(folder)``
    writes it (if anything is new) and deletes the other ``math-*.json`` beside it.
    """

    def __init__(self, requirements):
        self.requirements = requirements
        self.known, self.new = {}, set()  # "inline:TeX" or "display:TeX" -> MathML

    def __call__(self, tex, display=False):
        key = f"{'display' if display else 'inline'}:{tex}"
        if key not in self.known:
            self.known[key] = tex_to_mathml(tex, display)
            self.new.add(key)
        return self.known[key]

    def cache_file(self, folder):
        """The cache's file in ``folder``: its name changes with this file and ``requirements.txt``."""
        digest = hashlib.sha256(Path(__file__).read_bytes() + Path(self.requirements).read_bytes()).hexdigest()[:16]
        return Path(folder) / f"math-{digest}.json"

    def load(self, folder):
        path = self.cache_file(folder)
        if path.is_file():
            self.known.update(json.loads(path.read_text(encoding="utf-8")))

    def save(self, folder):
        path = self.cache_file(folder)
        if self.new or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_text(json.dumps(self.known, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            partial.replace(path)
            self.new.clear()
        for stale in path.parent.glob("math-*.json"):
            if stale != path:
                stale.unlink()


def styled(char, variant):
    """``char`` in the Unicode letter style of a MathML ``mathvariant`` (bold 1 -> 𝟏)."""
    style = _STYLES.get(variant)
    name = re.fullmatch(r"(?:LATIN|GREEK) (\w+) LETTER (\w+)|(DIGIT \w+)", unicodedata.name(char, ""))
    if style and name:
        letter = name[3] or f"{name[1]} {name[2]}"
        for candidate in (f"MATHEMATICAL {style} {letter}", f"{_OUTSIDE.get(style)} {letter}",
                          "PLANCK CONSTANT" if (style, letter) == ("ITALIC", "SMALL H") else ""):
            try:
                return unicodedata.lookup(candidate)
            except KeyError:
                pass
    raise MathError(f"{char!r} has no {variant} form that a browser can show")


def _name(element):
    return element.tag.removeprefix(NS)


def _for_chromium(math):
    """Rewrite KaTeX's MathML where Chromium's MathML Core would ignore it (module docstring)."""
    semantics = math.find(f"{NS}semantics")
    if semantics is not None:
        math.remove(semantics)
        math.extend(child for child in semantics if _name(child) != "annotation")
    for parent in list(math.iter()):
        kids, run = list(parent), []
        for kid in kids + [None]:  # \mathtt{layer\_1}: one <mi> per character -> one identifier
            if kid is not None and kid.get("mathvariant") == "monospace":
                run.append(kid)
                continue
            if run:
                text = "".join(k.text or "" for k in run)
                run[0].tag, run[0].attrib, run[0].text = f"{NS}mi", {"mathvariant": "normal", "class": "tt"}, text
                for other in run[1:]:
                    parent.remove(other)
                run = []
        kids = list(parent)
        if _name(parent) == "msup" and len(kids) == 2 and set("".join(kids[1].itertext())) <= _PRIMES:
            parent.tag = f"{NS}mrow"  # f′: the prime glyph is already raised
            for prime in [kids[1]] if _name(kids[1]) == "mo" else list(kids[1]):
                prime.attrib.update(lspace="0", rspace="0")
        if _name(parent) in _SCRIPTED:
            for script in kids[1:]:
                for op in script.iter(f"{NS}mo"):
                    op.attrib.setdefault("lspace", "0")
                    op.attrib.setdefault("rspace", "0")
        for before, op in zip(kids, kids[1:]):  # [−1, 1): no space after the bracket
            if _name(op) == "mo" and op.text in _BINARY and _name(before) == "mo" and before.text in _BEFORE_UNARY:
                op.attrib.update(lspace="0", rspace="0")
        if _name(parent) == "mover" and parent.get("accent") == "true" and kids[-1].get("stretchy") != "true":
            kids[-1].text = _ACCENTS.get(kids[-1].text, kids[-1].text)
        if _name(parent) == "mtable":
            _style_cells(parent)
    for element in math.iter():
        variant = element.get("mathvariant")
        if variant not in (None, "normal"):
            del element.attrib["mathvariant"]
            element.text = "".join(styled(char, variant) for char in element.text or "")
    return math


def _style_cells(table):
    """Put a table's column alignment and spacing, which Chromium ignores, on its cells."""
    aligns = table.get("columnalign", "center").split()
    spaces = [float(s.removesuffix("em")) for s in table.attrib.pop("columnspacing", "0.8em").split()]
    rows = table.attrib.pop("rowspacing", "0.5em").split()
    for r, row in enumerate(row for row in table if _name(row) == "mtr"):
        cells = [cell for cell in row if _name(cell) == "mtd"]
        for c, cell in enumerate(cells):
            left = spaces[min(c - 1, len(spaces) - 1)] / 2 if c else 0
            right = spaces[min(c, len(spaces) - 1)] / 2 if c < len(cells) - 1 else 0
            top = rows[min(r - 1, len(rows) - 1)] if r else "0"
            align = aligns[min(c, len(aligns) - 1)]
            cell.set("style", f"text-align: -webkit-{align}; padding: {top} {right:g}em 0 {left:g}em")


def page_formulas(config_file="mkdocs.yml"):
    """``[(page, arithmatex html), …]`` for every formula in the site's ``docs/*.md``, as its Markdown writes them."""
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    docs_dir = Path(config["docs_dir"])
    skip_code = {"name": "python", "class": "python", "validator": lambda *a, **k: True, "format": lambda *a, **k: ""}
    config["mdx_configs"].setdefault("pymdownx.superfences", {}).setdefault("custom_fences", []).append(skip_code)
    found = []
    for page in sorted(Path(docs_dir).glob("*.md")):
        md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
        found += [(page.name, m[0]) for m in _ARITHMATEX.finditer(md.convert(page.read_text(encoding="utf-8")))]
    return found


def math_font_characters(page_html):
    """The characters of the page's MathML that the math font draws (not Chinese, not ``\\mathtt``), with the
    radical sign that ``<msqrt>`` and ``<mroot>`` draw."""
    chars = set()
    for mathml in re.findall(r"<math\b.*?</math>", page_html, re.S):
        for element in ET.fromstring(mathml.replace("<math", f'<math xmlns="{NS[1:-1]}"', 1)).iter():
            text = element.text or ""
            if element.get("class") == "tt":
                continue
            if _name(element) == "mi" and len(text) == 1 and element.get("mathvariant") != "normal":
                try:
                    text = styled(text, "italic")  # what Chromium draws for a one-letter <mi>
                except MathError:
                    pass
            chars |= {c for c in text if not unicodedata.name(c, "").startswith(("CJK", "FULLWIDTH"))}
            if _name(element) in ("msqrt", "mroot"):
                chars.add("√")  # the radical sign is drawn from the font, though it is no text of the MathML
    return chars


ALPHABETS = "".join(chr(c) for c in range(0x20, 0x7F)) + "ΓΔΘΛΞΠΣΦΨΩαβγδεζηθικλμνξοπρστυφχψωϑϕϵ"


def write_font(config_file="mkdocs.yml"):
    """Subset ziamath's STIX Two Math to the characters the site's formulas need, as WOFF2, into its docs folder."""
    import ziamath
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = set(ALPHABETS) | {styled(c, "italic") for c in ALPHABETS if re.fullmatch(r"[A-Za-zΑ-Ωα-ω]", c)}
    from mkdocs.config import load_config

    target = Path(load_config(str(config_file))["docs_dir"]) / FONT_URL
    for page, formula in page_formulas(config_file):
        chars |= math_font_characters(render_math(formula, page))
    options = subset.Options(layout_features=[], hinting=False, name_IDs=["*"])  # Chromium uses no features
    font = TTFont(Path(ziamath.__file__).parent / "fonts" / "STIXTwoMath-Regular.ttf", recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(target)
    return target
