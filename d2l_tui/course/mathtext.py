r"""Turn LaTeX math into readable one-line Unicode for a terminal.

pylatexenc's `LatexWalker` parses the LaTeX; this module walks the node tree, renders each node as
a `T.Piece` (text plus a kind from `mathtables`) and joins the pieces, letting the kinds decide the
spacing and when a fraction or a root needs parentheses. Choices a reader will notice:
- Scripts use Unicode sub/superscripts when every character has one (`xᵢ₌₁`, `x⁽ⁱ⁾`, `𝐀ᵀ`), else
  an ASCII form: `x_F`, `e^(x₂)`, `∑_(i ∈ ℬ)`. `\frac{a}{b}` is `a/b`, parenthesising a side
  that is not one token (`1/(2n)`). Matrices are one line, `[[1, 2], [3, 4]]`; rows of `aligned`
  and `align` are joined with "; ". Unknown macros stay as `\name{args}`, so nothing is lost.
"""

from __future__ import annotations

from typing import TypeAlias

from pylatexenc import latexwalker as lw
from pylatexenc.macrospec import LatexContextDb, std_macro

from d2l_tui.course import mathtables as T

_Atom: TypeAlias = "str | lw.LatexNode"  # one character of a chars node, or any other node


def latex_to_unicode(latex: str) -> str:
    """Render LaTeX math (without its `$` delimiters) as Unicode text; never raises."""
    try:
        text = _render_rows(_parse(latex), "aligned")
    except Exception:  # a formula must never break a lesson; show its source instead
        return str(latex).strip()
    return text or latex.strip()


def _context_db() -> LatexContextDb:
    """Pylatexenc's default macros plus the argument specs this renderer relies on."""
    db = lw.get_default_latex_context_db()
    macros = [std_macro(name, spec) for name, spec in T.EXTRA_MACRO_ARGS.items()]
    db.add_context_category("d2l-tui-math", macros=macros, prepend=True)
    return db


_DB = _context_db()


def _parse(latex: str) -> list[lw.LatexNode]:
    """Parse strictly, and only if that fails parse tolerantly for a best-effort rendering."""
    for tolerant in (False, True):
        walker = lw.LatexWalker(latex, latex_context=_DB, tolerant_parsing=tolerant)
        state = walker.make_parsing_state(in_math_mode=True)
        try:
            return walker.get_latex_nodes(parsing_state=state)[0] or []
        except lw.LatexWalkerError:
            if tolerant:
                raise
    return []


def _atoms(nodes: list[lw.LatexNode] | None) -> list[_Atom]:
    """Flatten nodes into atoms: characters one by one (so `_`/`^` can find their argument)."""
    out: list[_Atom] = []
    for node in nodes or ():
        if isinstance(node, lw.LatexCharsNode):
            out.extend(node.chars)
        elif isinstance(node, lw.LatexSpecialsNode) and node.specials_chars not in ("&", "~"):
            out.extend(node.specials_chars)  # `''` and `--` are text-mode ligatures, not math
        elif isinstance(node, lw.LatexMacroNode):
            keep = _keeps_post_space(node, out[-1] if out else "")
            out.extend([node, " "] if keep else [node])
        elif not isinstance(node, lw.LatexCommentNode):
            out.append(node)
    return out


def _keeps_post_space(node: lw.LatexMacroNode, before: _Atom) -> bool:
    r"""Whether the space after `\name` is kept: it is the author's unless it only ends the name."""
    after_space = isinstance(before, str) and before.isspace()
    args = _args(node)
    if args:  # its own space stood before the arguments; `\not\in a` has one after them
        last = args[-1]
        return isinstance(last, lw.LatexMacroNode) and bool(last.macro_post_space) and after_space
    if not node.macro_post_space or node.macroname in T.SIZED_DELIMITERS:
        return False
    kind = T.SYMBOLS.get(node.macroname, ("", T.ORD))[1]
    if kind in (T.PREFIX, T.SPACE, T.GAP):
        return False  # `\partial y` is ∂y
    # `a \leq b` keeps both spaces and `a\leq b` neither. Everything else keeps what was written:
    # `\lambda \mathbf{v}`, `\log x`, and `\foo x`, which must not become `\foox`.
    return after_space if kind == T.BIN else True


def _render(nodes: list[lw.LatexNode] | None) -> list[T.Piece]:
    """Render a node list to pieces."""
    return _render_atoms(_atoms(nodes))


def _render_atoms(atoms: list[_Atom]) -> list[T.Piece]:
    """Render atoms to pieces, attaching scripts and primes to what precedes them."""
    pieces: list[T.Piece] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        i += 1
        if isinstance(atom, str):
            if atom in "_^":
                i = _attach_script(pieces, atoms, i, atom)
            elif atom == "'":
                _base(pieces).text += "′"
            else:
                _add_char(pieces, atom)
        elif isinstance(atom, lw.LatexGroupNode):
            inner = _render(atom.nodelist)
            if _next_is_script(atoms, i):  # `{a+b}^2`: the script belongs to the whole group
                inner = [T.Piece(T.join(inner))]
            pieces.extend(inner)
        elif isinstance(atom, lw.LatexMacroNode):
            rendered, i = _render_macro(atom, atoms, i)
            pieces.extend(rendered)
        elif isinstance(atom, lw.LatexEnvironmentNode):
            pieces.append(T.Piece(_render_rows(atom.nodelist or [], atom.environmentname)))
        elif isinstance(atom, lw.LatexMathNode):
            pieces.extend(_render(atom.nodelist))
        elif isinstance(atom, lw.LatexSpecialsNode) and atom.specials_chars == "~":
            pieces.append(T.Piece(" ", T.SPACE))
    return pieces


def _add_char(pieces: list[T.Piece], char: str) -> None:
    """Append one source character, keeping a run of digits together as one number."""
    last = pieces[-1] if pieces else T.Piece("", T.SPACE)
    is_number = last.kind == T.ORD and not last.scripted and last.text.replace(".", "").isdigit()
    if is_number and (char.isdigit() or char == "."):
        last.text += char
    elif char.isspace():
        pieces.append(T.Piece(" ", T.SPACE))
    else:
        pieces.append(T.Piece(char, T.CHAR_KINDS.get(char, T.ORD)))


def _base(pieces: list[T.Piece]) -> T.Piece:
    """The piece a script or prime attaches to; an empty one when nothing precedes it."""
    while pieces and pieces[-1].kind == T.SPACE:
        pieces.pop()  # `x ^2` is x² in LaTeX
    if not pieces:
        pieces.append(T.Piece(""))
    return pieces[-1]


def _next_is_script(atoms: list[_Atom], i: int) -> bool:
    """Whether a `_` or `^` comes next, skipping spaces."""
    i = _skip_spaces(atoms, i)
    return i < len(atoms) and isinstance(atoms[i], str) and atoms[i] in "_^"


def _skip_spaces(atoms: list[_Atom], i: int) -> int:
    """The index of the next atom that is not whitespace."""
    while i < len(atoms) and isinstance(atoms[i], str) and atoms[i].isspace():
        i += 1
    return i


def _attach_script(pieces: list[T.Piece], atoms: list[_Atom], i: int, mark: str) -> int:
    """Attach the script after `_`/`^` (one atom or a group) to the previous piece."""
    i = _skip_spaces(atoms, i)
    if i >= len(atoms):
        pieces.append(T.Piece(mark))  # a dangling `^` stays visible
        return i
    arg = atoms[i]
    inner = _render(arg.nodelist) if isinstance(arg, lw.LatexGroupNode) else _render_atoms([arg])
    base = _base(pieces)
    base.text += _script_text(inner, mark)
    base.scripted = True
    base.sub = base.sub or mark == "_"
    return i + 1


def _script_text(inner: list[T.Piece], mark: str) -> str:
    """Unicode sub/superscript characters, or `_x` / `_(...)` when some character has none."""
    text = T.join(inner)
    converted = T.to_script(text.replace(" ", ""), mark)
    # Words (\text{train}) in tiny script letters are hard to read: keep them ASCII.
    if converted is not None and not any(p.kind == T.WORD for p in inner):
        return converted
    if T.glyph_count(text) == 1 or T.wrapped([p for p in inner if p.kind != T.SPACE]):
        return mark + text
    return f"{mark}({text})"


def _args(node: lw.LatexMacroNode) -> list[lw.LatexNode | None]:
    """The arguments pylatexenc attached to a macro (None for an absent optional one)."""
    argd = node.nodeargd
    return list(argd.argnlist) if argd is not None and argd.argnlist else []


def _arg_pieces(node: lw.LatexNode | None) -> list[T.Piece]:
    """Render one macro argument, a group or a single token."""
    if node is None:
        return []
    return _render(node.nodelist if isinstance(node, lw.LatexGroupNode) else [node])


def _render_macro(node: lw.LatexMacroNode, atoms: list[_Atom], i: int) -> tuple[list[T.Piece], int]:
    r"""Render a macro; `\left` and friends also consume the delimiter after them."""
    name = node.macroname
    if name in T.SIZED_DELIMITERS:
        return _sized_delimiter(T.SIZED_DELIMITERS[name], atoms, i)
    if name in T.SYMBOLS:
        text, kind = T.SYMBOLS[name]
        return [T.Piece(text, kind)], i
    if name == "\\":
        return [T.Piece(";", T.PUNCT), T.Piece(" ", T.SPACE)], i
    if name in T.IGNORED:
        return [], i
    try:
        rendered = _render_with_args(name, _args(node))
    except (IndexError, AttributeError):  # arguments missing after a tolerant parse
        rendered = None
    if rendered is None:
        return _render_unknown(node, atoms, i)
    return rendered, i


def _render_with_args(name: str, args: list[lw.LatexNode | None]) -> list[T.Piece] | None:
    """Render a macro that takes arguments; None when it is not one this module knows."""
    for render in (_render_fraction_like, _render_lettering, _render_decorated):
        pieces = render(name, args)
        if pieces is not None:
            return pieces
    return None


def _render_fraction_like(name: str, args: list[lw.LatexNode | None]) -> list[T.Piece] | None:
    r"""`\frac`, `\binom` and `\sqrt`; None for any other macro."""
    if name in ("frac", "dfrac", "tfrac", "cfrac"):
        return [T.Piece(_fraction(_arg_pieces(args[0]), _arg_pieces(args[1])), T.FRAC)]
    if name in ("binom", "dbinom", "tbinom"):
        return [T.Piece(f"C({T.join(_arg_pieces(args[0]))}, {T.join(_arg_pieces(args[1]))})")]
    if name == "sqrt":
        return [T.Piece(_root(args[0], _arg_pieces(args[1])))]
    return None


def _render_lettering(name: str, args: list[lw.LatexNode | None]) -> list[T.Piece] | None:
    r"""Accents, letter styles (`\mathbf` ...) and text macros; None for any other macro."""
    mandatory = [a for a in args if a is not None]
    if name in T.ACCENTS:
        return [T.Piece(T.accented(T.join(_arg_pieces(mandatory[0])), T.ACCENTS[name]))]
    if name in T.STYLES:
        pieces = _arg_pieces(mandatory[0])
        return [
            T.Piece(T.styled(p.text, T.STYLES[name]), p.kind, p.sub, p.scripted) for p in pieces
        ]
    if name in T.TEXT_MACROS:
        text = _text(mandatory[-1])
        if name == "operatorname":  # \operatorname* takes limits underneath
            return [T.Piece(text, T.BIG if args[0] is not None else T.WORD)]
        return [T.Piece(text, T.WORD if len(text.strip()) > 1 else T.ORD)]  # \mathrm{d}x is dx
    return None


def _render_decorated(name: str, args: list[lw.LatexNode | None]) -> list[T.Piece] | None:
    r"""`\overset`, `\mathop`, `\not`, `\boxed`, `\tag` and the like; None for any other macro."""
    if name in ("overset", "stackrel", "underset"):
        base = T.Piece(T.join(_arg_pieces(args[1])), T.BIN)
        base.text += _script_text(_arg_pieces(args[0]), "_" if name == "underset" else "^")
        return [base]
    if name == "mathop":
        return [T.Piece(T.join(_arg_pieces(args[0])), T.BIG)]
    if name == "not":
        text = T.join(_arg_pieces(args[0]))
        return [T.Piece(T.NEGATED.get(text, text + "\u0338"), T.BIN)]
    if name in ("textcolor", "boxed"):
        return _arg_pieces(args[-1])
    if name in ("pmod", "tag"):
        return [T.Piece("  ", T.GAP), T.Piece(f"({'mod ' * (name == 'pmod')}{_text(args[-1])})")]
    return None


def _render_unknown(
    node: lw.LatexMacroNode, atoms: list[_Atom], i: int
) -> tuple[list[T.Piece], int]:
    r"""Keep an unknown macro as `\name{args}`, taking the groups that follow when unparsed."""
    parts = ["\\" + node.macroname]
    args = [a for a in _args(node) if a is not None]
    if not args:
        while i < len(atoms) and isinstance(atoms[i], lw.LatexGroupNode):
            args.append(atoms[i])
            i += 1
    for arg in args:
        if isinstance(arg, lw.LatexGroupNode):
            left, right = arg.delimiters
            parts.append(f"{left}{T.join(_render(arg.nodelist))}{right}")
        else:
            parts.append(f"{{{T.join(_render([arg]))}}}")
    return [T.Piece("".join(parts))], i


def _sized_delimiter(kind: str | None, atoms: list[_Atom], i: int) -> tuple[list[T.Piece], int]:
    r"""Render the delimiter after `\left`, `\big` ...; `\left.` renders as nothing."""
    i = _skip_spaces(atoms, i)
    if i >= len(atoms):
        return [], i
    delimiter = atoms[i]
    if isinstance(delimiter, str) and delimiter == ".":
        return [], i + 1
    pieces = _render_atoms([delimiter])
    for piece in pieces:
        piece.kind = kind or piece.kind
    return pieces, i + 1


def _fraction(numerator: list[T.Piece], denominator: list[T.Piece]) -> str:
    """`a/b`, with parentheses around a side that is more than one token."""
    sides = []
    for side in (numerator, denominator):
        text = T.join(side)
        sides.append(text if T.is_simple(side) else f"({text})")
    return "/".join(sides)


def _root(index: lw.LatexNode | None, radicand: list[T.Piece]) -> str:
    """`√x`, `∛x`, `ⁿ√(...)`: parentheses unless the radicand is a single token."""
    body = T.join(radicand)
    if not T.is_simple(radicand, calls=False):
        body = f"({body})"
    degree = T.join(_arg_pieces(index)) if index is not None else "2"
    if degree in T.ROOTS:
        return T.ROOTS[degree] + body
    return (T.to_script(degree, "^") or f"({degree})") + "√" + body


def _text(node: lw.LatexNode | None) -> str:
    r"""Upright text from `\text{...}` and friends: spaces are kept as written."""
    if node is None:
        return ""
    nodes = node.nodelist if isinstance(node, lw.LatexGroupNode) else [node]
    out: list[str] = []
    for child in nodes:
        if isinstance(child, lw.LatexCharsNode):
            out.append(T.collapse_spaces(child.chars))
        elif isinstance(child, lw.LatexSpecialsNode):
            out.append(T.TEXT_SPECIALS.get(child.specials_chars, child.specials_chars))
        elif isinstance(child, lw.LatexGroupNode):
            out.append(_text(child))
        elif not isinstance(child, lw.LatexCommentNode):
            out.append(T.join(_render([child])))
    return "".join(out)


def _rows(nodes: list[lw.LatexNode]) -> list[list[list[lw.LatexNode]]]:
    r"""Split an environment body into rows (at `\\`) of cells (at `&`)."""
    rows: list[list[list[lw.LatexNode]]] = [[[]]]
    for node in nodes:
        if isinstance(node, lw.LatexMacroNode) and node.macroname in ("\\", "cr"):
            rows.append([[]])
        elif isinstance(node, lw.LatexSpecialsNode) and node.specials_chars == "&":
            rows[-1].append([])
        else:
            rows[-1][-1].append(node)
    while len(rows) > 1 and not T.join(_render([n for cell in rows[-1] for n in cell])):
        rows.pop()  # a trailing `\\` ends the last row; it does not start an empty one
    return rows


def _render_rows(nodes: list[lw.LatexNode], env: str) -> str:
    """Render a multi-row body: a matrix as nested lists, cases and alignments with "; "."""
    rows = _rows(nodes)
    if env in T.MATRIX_ENVS:
        left, right = T.MATRIX_ENVS[env]
        cells = ["[" + ", ".join(T.join(_render(c)) for c in row) + "]" for row in rows]
        return left + ", ".join(cells) + right
    if env in T.CASES_ENVS:
        return "{" + "; ".join(", ".join(T.join(_render(c)) for c in row) for row in rows) + "}"
    # Alignment points (`&`) only line rows up, so a row's cells read as one run of math.
    return "; ".join(T.join(_render([n for cell in row for n in cell])).strip() for row in rows)
