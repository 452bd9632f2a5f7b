"""The text layer of `mathtext`: symbol tables, Unicode character maps, and how pieces join.

Nothing here knows about LaTeX parsing: `mathtext` walks pylatexenc's tree and turns each node into
a `Piece`; the kind of each piece decides the spacing and the parentheses applied here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

# Piece kinds. They decide spacing and when a fraction or root needs parentheses.
ORD = "ord"  # a letter, number or symbol
BIN = "bin"  # a binary operator or relation: the author's spacing around it is kept
BIG = "big"  # a big operator that takes limits: ∑, ∏, ∫, lim, max
WORD = "word"  # an upright function name or text: log, exp, \text{...}
PREFIX = "prefix"  # ∂, ∇, ¬: written against what follows (∂y, not ∂ y)
OPEN = "open"
CLOSE = "close"
FENCE = "fence"  # | and ‖: open or close, depending on where they stand
PUNCT = "punct"
SPACE = "space"  # collapsible whitespace
GAP = "gap"  # explicit spacing (\quad): kept as written

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
    "iota": "ι", "kappa": "κ", "varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ",
    "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip

_ORD = {
    "infty": "∞", "ell": "ℓ", "hbar": "ℏ", "imath": "ı", "jmath": "ȷ", "Re": "ℜ",
    "Im": "ℑ", "aleph": "ℵ", "emptyset": "∅", "varnothing": "∅", "prime": "′",
    "top": "⊤", "intercal": "⊤", "bot": "⊥", "angle": "∠", "triangle": "△",
    "ldots": "…", "dots": "…", "dotsc": "…", "cdots": "⋯", "dotsb": "⋯", "vdots": "⋮",
    "ddots": "⋱", "square": "□", "Box": "□", "dagger": "†", "%": "%", "_": "_", "#": "#",
    "&": "&", "$": "$",
}  # fmt: skip

_PREFIX = {"partial": "∂", "nabla": "∇", "forall": "∀", "exists": "∃", "nexists": "∄",
           "neg": "¬", "lnot": "¬"}  # fmt: skip

_BIN = {
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·", "circ": "∘",
    "bullet": "•", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "ominus": "⊖", "cup": "∪",
    "cap": "∩", "setminus": "∖", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
    "star": "⋆", "ast": "∗", "bmod": "mod", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "cong": "≅",
    "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "in": "∈", "notin": "∉",
    "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "mid": "|", "nmid": "∤", "parallel": "∥", "perp": "⊥", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "gets": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⇒", "impliedby": "⇐",
    "iff": "⇔", "mapsto": "↦", "longrightarrow": "⟶", "longleftarrow": "⟵",
    "Longrightarrow": "⟹", "uparrow": "↑", "downarrow": "↓", "coloneqq": "≔",
    "triangleq": "≜", "doteq": "≐", "prec": "≺", "succ": "≻", "models": "⊨", "vdash": "⊢",
}  # fmt: skip

_BIG = {
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂",
    "bigvee": "⋁", "bigwedge": "⋀",
}  # fmt: skip

# Operator names that take limits underneath (\max_x) versus plain function names.
_BIG_WORDS = "lim liminf limsup max min sup inf det Pr gcd argmax argmin".split()
_WORDS = ("log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh "
          "coth arg deg dim ker hom").split()  # fmt: skip

_DELIMITERS = {
    "|": ("‖", FENCE), "vert": ("|", FENCE), "Vert": ("‖", FENCE), "lvert": ("|", OPEN),
    "rvert": ("|", CLOSE), "lVert": ("‖", OPEN), "rVert": ("‖", CLOSE), "{": ("{", OPEN),
    "}": ("}", CLOSE), "lbrace": ("{", OPEN), "rbrace": ("}", CLOSE), "lbrack": ("[", OPEN),
    "rbrack": ("]", CLOSE), "langle": ("⟨", OPEN), "rangle": ("⟩", CLOSE),
    "lfloor": ("⌊", OPEN), "rfloor": ("⌋", CLOSE), "lceil": ("⌈", OPEN),
    "rceil": ("⌉", CLOSE),
}  # fmt: skip

CHAR_KINDS = {**dict.fromkeys("+-=<>*/", BIN), **dict.fromkeys("([", OPEN),
              **dict.fromkeys(")]", CLOSE), "|": FENCE, **dict.fromkeys(",;:.", PUNCT)}  # fmt: skip

_SPACING = {",": " ", ":": " ", ";": " ", ">": " ", " ": " ", "enspace": " ",
            "thinspace": " ", "medspace": " ", "thickspace": " "}  # fmt: skip
_GAPS = {"quad": "  ", "qquad": "    "}

# Macros that only change layout; dropping them loses nothing a reader needs.
IGNORED = {"displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "limits",
           "nolimits", "nonumber", "notag", "!", "negthinspace", "relax", "hline",
           "label", "color", "strut"}  # fmt: skip


def _symbols() -> dict[str, tuple[str, str]]:
    """Merge the tables above into one name -> (text, kind) map."""
    table: dict[str, tuple[str, str]] = {}
    for names, kind in ((GREEK, ORD), (_ORD, ORD), (_PREFIX, PREFIX), (_BIN, BIN), (_BIG, BIG)):
        table.update((name, (text, kind)) for name, text in names.items())
    table.update((name, (name, BIG)) for name in _BIG_WORDS)
    table.update((name, (name, WORD)) for name in _WORDS)
    table.update(_DELIMITERS)
    table.update((name, (text, SPACE)) for name, text in _SPACING.items())
    table.update((name, (text, GAP)) for name, text in _GAPS.items())
    return table


SYMBOLS = _symbols()

# \left, \bigl ... : the delimiter that follows takes the kind given here (None: its own kind).
SIZED_DELIMITERS: dict[str, str | None] = {"left": OPEN, "right": CLOSE, "middle": BIN}
for _size in ("big", "Big", "bigg", "Bigg"):
    SIZED_DELIMITERS.update({_size: None, _size + "l": OPEN, _size + "r": CLOSE, _size + "m": BIN})

ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "check": "\u030c", "tilde": "\u0303",
    "widetilde": "\u0303", "bar": "\u0304", "overline": "\u0305", "breve": "\u0306",
    "dot": "\u0307", "ddot": "\u0308", "mathring": "\u030a", "acute": "\u0301",
    "grave": "\u0300", "vec": "\u20d7", "overrightarrow": "\u20d7", "underline": "\u0332",
}  # fmt: skip

# Typeface macros -> the style word in Unicode's "MATHEMATICAL <STYLE> ..." character names.
STYLES = {"mathbf": "BOLD", "boldsymbol": "BOLD", "bm": "BOLD", "textbf": "BOLD",
          "mathcal": "SCRIPT", "mathscr": "SCRIPT", "mathbb": "DOUBLE-STRUCK",
          "mathfrak": "FRAKTUR"}  # fmt: skip
# Letters that Unicode encoded before the mathematical alphabets (ℝ, ℬ, ℭ) use these names.
LEGACY_STYLE_PREFIX = {"DOUBLE-STRUCK": "DOUBLE-STRUCK", "SCRIPT": "SCRIPT",
                       "FRAKTUR": "BLACK-LETTER"}  # fmt: skip
# Upright text: spaces inside are kept as written.
TEXT_MACROS = {"text", "textrm", "textit", "textsf", "texttt", "textnormal", "mbox",
               "mathrm", "mathit", "mathsf", "mathtt", "emph", "operatorname"}  # fmt: skip

NEGATED = {"=": "≠", "∈": "∉", "<": "≮", ">": "≯", "≤": "≰", "≥": "≱", "⊂": "⊄",
           "⊆": "⊈", "≡": "≢", "∼": "≁", "≈": "≉", "|": "∤", "∃": "∄"}  # fmt: skip

TEXT_SPECIALS = {"--": "–", "---": "—", "``": "“", "''": "”", "~": " "}

SUBSCRIPTS = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ",
                      "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))  # fmt: skip
SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ⊤′∘*∗",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡᵀ′°**",
        strict=True,
    )
)
SCRIPT_CHARS = frozenset(SUBSCRIPTS.values()) | frozenset(SUPERSCRIPTS.values())

ROOTS = {"2": "√", "3": "∛", "4": "∜"}

MATRIX_ENVS = {"matrix": ("[", "]"), "bmatrix": ("[", "]"), "pmatrix": ("[", "]"),
               "Bmatrix": ("[", "]"), "smallmatrix": ("[", "]"), "array": ("[", "]"),
               "vmatrix": ("|[", "]|"), "Vmatrix": ("‖[", "]‖")}  # fmt: skip
CASES_ENVS = {"cases", "dcases"}

# Argument specs pylatexenc's default database lacks, so the parser attaches the arguments.
EXTRA_MACRO_ARGS = {
    "dfrac": "{{", "tfrac": "{{", "cfrac": "{{", "binom": "{{", "dbinom": "{{",
    "tbinom": "{{", "boldsymbol": "{", "bm": "{", "operatorname": "*{", "overset": "{{",
    "underset": "{{", "stackrel": "{{", "mathop": "{", "mathscr": "{", "mathfrak": "{",
    "textcolor": "{{", "boxed": "{", "pmod": "{", "tag": "*{", "widetilde": "{",
    "overrightarrow": "{", "mathring": "{", "check": "{", "breve": "{", "acute": "{",
    "grave": "{", "underline": "{", "emph": "{",
    # Row breaks take no arguments here, so a row starting with "[" is not swallowed.
    "\\": "",
}  # fmt: skip


# --- Character maps -----------------------------------------------------------------------------


def to_script(text: str, mark: str) -> str | None:
    """`text` in Unicode sub- (`mark` "_") or superscript characters; None if one has none."""
    table = SUBSCRIPTS if mark == "_" else SUPERSCRIPTS
    return "".join(table[c] for c in text) if all(c in table for c in text) else None


def glyph_count(text: str) -> int:
    """How many characters a reader sees: combining accents do not count."""
    return sum(not unicodedata.combining(char) for char in text)


def accented(text: str, mark: str) -> str:
    """Put a combining accent on every base character (script characters keep none)."""
    out: list[str] = []
    pending = False
    for char in text:
        if unicodedata.combining(char):
            out.append(char)
            continue
        if pending:
            out.append(mark)  # after the base's own combining marks, so accents stack
        out.append(char)
        pending = not char.isspace() and char not in SCRIPT_CHARS
    if pending:
        out.append(mark)
    return "".join(out)


def styled(text: str, style: str) -> str:
    """Map letters, digits and Greek to a mathematical alphabet (bold, script, double-struck)."""
    return "".join(_styled_char(char, style) for char in text)


@lru_cache(maxsize=1024)
def _styled_char(char: str, style: str) -> str:
    """One character in a mathematical alphabet, or unchanged when Unicode has none."""
    name = unicodedata.name(char, "")
    for prefix in ("LATIN ", "GREEK ", "LETTER ", "LUNATE "):
        name = name.replace(prefix, "")  # "GREEK SMALL LETTER ALPHA" -> "SMALL ALPHA"
    if not name:
        return char
    candidates = [f"MATHEMATICAL {style} {name}"]
    if style in LEGACY_STYLE_PREFIX:
        candidates.append(f"{LEGACY_STYLE_PREFIX[style]} {name}")
    for candidate in candidates:
        try:
            return unicodedata.lookup(candidate)
        except KeyError:
            continue
    return char


def collapse_spaces(chars: str) -> str:
    """Collapse whitespace runs to one space, keeping a leading or trailing one."""
    core = " ".join(chars.split())
    if not core:
        return " " if chars else ""
    return (" " if chars[0].isspace() else "") + core + (" " if chars[-1].isspace() else "")


# --- Rendered pieces and how they join --------------------------------------------------------

FRAC = "frac"  # a rendered a/b: needs parentheses inside another fraction, space beside a term


@dataclass
class Piece:
    """One rendered atom, with what its neighbours need to know about it."""

    text: str
    kind: str = ORD
    sub: bool = False
    """It carries a subscript (so a prefix such as ∇ keeps the space after it)."""
    scripted: bool = False


def join(pieces: list[Piece]) -> str:
    """Join pieces into text, collapsing LaTeX whitespace and spacing terms that need it."""
    out: list[str] = []
    prev: Piece | None = None
    spaced = False
    for piece in _resolve_fences(pieces):
        if piece.kind == SPACE:
            spaced = True
            continue
        spacing = _keeps_space if spaced else _needs_space
        # Text such as `\text{if }` brings its own space; do not double it.
        padded = prev is not None and (prev.text.endswith(" ") or piece.text.startswith(" "))
        if prev is not None and spacing(prev, piece) and not padded:
            out.append(" ")
        out.append(piece.text)
        prev, spaced = piece, False
    return "".join(out)


def _resolve_fences(pieces: list[Piece]) -> list[Piece]:
    """Copies of the pieces where each matched `|`/`‖` pair is an opening and a closing one."""
    pieces = [replace(p) for p in pieces]
    for j, piece in enumerate(pieces):
        if piece.kind == FENCE:
            k = _match(pieces, j)
            if k > j:  # an unmatched `|` (P(A | B)) stays a fence and keeps its spaces
                piece.kind, pieces[k].kind = OPEN, CLOSE
    return pieces


def _keeps_space(prev: Piece, piece: Piece) -> bool:
    """Whether whitespace the author wrote between two pieces survives."""
    if prev.kind == PREFIX and not prev.sub:
        return False  # `\partial y` is ∂y; `\nabla_{\mathbf{x}} f` keeps its space
    return prev.kind not in (OPEN, GAP) and piece.kind not in (CLOSE, GAP)


def _needs_space(prev: Piece, piece: Piece) -> bool:
    """Whether two touching pieces need a space to stay readable."""
    terms = (ORD, WORD, BIG, PREFIX, FRAC)
    if prev.kind in (WORD, BIG) and piece.kind in terms:
        return True  # `\log\hat{y}` is "log ŷ"
    if prev.kind == BIG and prev.scripted and piece.kind in (OPEN, FENCE):
        return True  # ∑ᵢ |xᵢ|: the limits should not run into the summand
    if prev.kind == FRAC and piece.kind in (*terms, OPEN, FENCE):
        return True  # 1/2 (a + b), not 1/2(a + b)
    return piece.kind == FRAC and prev.kind in (ORD, WORD, CLOSE, FRAC)


def _match(pieces: list[Piece], start: int) -> int:
    """The index of the delimiter closing the one at `start`, or -1."""
    opener = pieces[start].text[:1]
    depth = 0
    for j in range(start, len(pieces)):
        piece = pieces[j]
        if pieces[start].kind == FENCE:
            if j > start and depth == 0 and piece.text[:1] == opener:
                return j
            depth += (piece.kind == OPEN) - (piece.kind == CLOSE)
        else:
            depth += (piece.kind == OPEN) - (piece.kind == CLOSE)
            if depth == 0:
                return j
    return -1


def wrapped(pieces: list[Piece]) -> bool:
    """Whether the pieces are one delimited whole: `(a+b)`, `|ℬ|`, `‖𝐱‖₂`."""
    if not pieces or pieces[0].kind not in (OPEN, FENCE) or pieces[0].scripted:
        return False
    return _match(pieces, 0) == len(pieces) - 1


def is_simple(pieces: list[Piece], calls: bool = True) -> bool:
    """Whether the pieces read as one token, so `/` or `√` needs no parentheses around them."""
    terms = [p for p in pieces if p.kind not in (SPACE, GAP)]
    if len(terms) <= 1:
        return not terms or terms[0].kind in (ORD, WORD, PREFIX)
    if wrapped(terms) or not calls:
        return wrapped(terms)
    return _signed_or_applied(terms)


def _signed_or_applied(terms: list[Piece]) -> bool:
    """Whether two or more terms read as one token: a negated one, a differential or a call."""
    first, second = terms[0], terms[1]
    if first.kind == BIN and first.text == "-" and is_simple(terms[1:]):
        return True  # -1/2 needs no (-1)
    bare = first.text.rstrip("".join(SCRIPT_CHARS))
    if len(terms) == 2 and second.kind == ORD and (first.kind == PREFIX or bare == "d"):
        return True  # a differential: ∂y, dx, ∂²f
    # A function applied to its arguments: f(x), exp(oⱼ), P(A, B).
    return first.kind in (ORD, WORD) and second.text == "(" and _match(terms, 1) == len(terms) - 1
