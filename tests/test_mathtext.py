"""LaTeX math to terminal Unicode: exact renderings of the course's formulas and the edge cases."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from d2l_tui.course.mathtext import latex_to_unicode

NORMS = [
    (r"\|\mathbf{x}\|_2 = \sqrt{\sum_i x_i^2}", "‖𝐱‖₂ = √(∑ᵢ xᵢ²)"),
    (r"\|\mathbf{x}\|_1 = \sum_i |x_i|", "‖𝐱‖₁ = ∑ᵢ |xᵢ|"),
    (
        r"\|\mathbf{x}\|_p = \left(\sum_{i=1}^n |x_i|^p\right)^{1/p}",
        "‖𝐱‖ₚ = (∑ᵢ₌₁ⁿ |xᵢ|ᵖ)^(1/p)",
    ),
    (
        r"\|\mathbf{X}\|_F = \sqrt{\sum_{i=1}^m \sum_{j=1}^n x_{ij}^2}",
        "‖𝐗‖_F = √(∑ᵢ₌₁ᵐ ∑ⱼ₌₁ⁿ xᵢⱼ²)",
    ),
    (r"\left\| \mathbf{x} \right\|_2", "‖𝐱‖₂"),
    (r"\lVert \mathbf{x} \rVert", "‖𝐱‖"),
]

# Every formula the curriculum (shared/curriculum.md) and the lessons write, in LaTeX.
CURRICULUM = [
    # Linear regression (chapter 7).
    (r"\hat{y} = x_1 w_1 + x_2 w_2 + b", "ŷ = x₁ w₁ + x₂ w₂ + b"),
    (
        r"\ell^{(i)}(w_1, w_2, b) = \frac{1}{2}\left(\hat{y}^{(i)} - y^{(i)}\right)^2",
        "ℓ⁽ⁱ⁾(w₁, w₂, b) = 1/2 (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)²",
    ),
    (
        r"L(\mathbf{w}, b) = \frac{1}{n}\sum_{i=1}^n \ell^{(i)}(\mathbf{w}, b)",
        "L(𝐰, b) = 1/n ∑ᵢ₌₁ⁿ ℓ⁽ⁱ⁾(𝐰, b)",
    ),
    (
        r"\mathbf{w} \leftarrow \mathbf{w} - \frac{\eta}{|\mathcal{B}|} "
        r"\sum_{i \in \mathcal{B}} \nabla_{\mathbf{w}} \ell^{(i)}(\mathbf{w}, b)",
        "𝐰 ← 𝐰 - η/|ℬ| ∑_(i ∈ ℬ) ∇_𝐰 ℓ⁽ⁱ⁾(𝐰, b)",
    ),
    (r"\hat{\mathbf{y}} = \mathbf{X}\mathbf{w} + b", "𝐲̂ = 𝐗𝐰 + b"),
    (r"\frac{1}{2n}\|\hat{\mathbf{y}} - \mathbf{y}\|^2", "1/(2n) ‖𝐲̂ - 𝐲‖²"),
    (r"[x_1, x_2, 1]^\top (\hat{y} - y)", "[x₁, x₂, 1]ᵀ (ŷ - y)"),
    (r"\epsilon \sim \mathcal{N}(0, 0.01^2)", "ϵ ∼ 𝒩(0, 0.01²)"),
    # Linear algebra and norms (chapter 4).
    (r"\mathbf{x} \in \mathbb{R}^n", "𝐱 ∈ ℝⁿ"),
    (r"\mathbf{A} \in \mathbb{R}^{m \times n}", "𝐀 ∈ ℝ^(m × n)"),
    (r"a \cdot b = \sum_i a_i b_i", "a · b = ∑ᵢ aᵢ bᵢ"),
    (r"(\mathbf{A}\mathbf{B})_{ij} = \sum_k a_{ik} b_{kj}", "(𝐀𝐁)ᵢⱼ = ∑ₖ aᵢₖ bₖⱼ"),
    (r"\mathbf{A} \odot \mathbf{B}", "𝐀 ⊙ 𝐁"),
    (r"\mathbf{B} = \mathbf{A}^\top", "𝐁 = 𝐀ᵀ"),
    (r"\mathbf{A}\mathbf{v} = \lambda \mathbf{v}", "𝐀𝐯 = λ 𝐯"),
    # Calculus (chapter 4).
    (
        r"f'(x) = \lim_{h \rightarrow 0} \frac{f(x+h) - f(x)}{h}",
        "f′(x) = lim_(h → 0) (f(x+h) - f(x))/h",
    ),
    (r"\frac{d}{dx} C = 0", "d/dx C = 0"),
    (r"\frac{d}{dx} x^n = n x^{n-1}", "d/dx xⁿ = n xⁿ⁻¹"),
    (r"\frac{d}{dx} e^x = e^x", "d/dx eˣ = eˣ"),
    (r"\frac{d}{dx} \ln x = \frac{1}{x}", "d/dx ln x = 1/x"),
    (
        r"\frac{d}{dx}[f(x) + g(x)] = \frac{d}{dx}f(x) + \frac{d}{dx}g(x)",
        "d/dx [f(x) + g(x)] = d/dx f(x) + d/dx g(x)",
    ),
    (
        r"\frac{d}{dx}[f(x)g(x)] = f(x)\frac{d}{dx}[g(x)] + g(x)\frac{d}{dx}[f(x)]",
        "d/dx [f(x)g(x)] = f(x) d/dx [g(x)] + g(x) d/dx [f(x)]",
    ),
    (
        r"\frac{d}{dx}\left[\frac{f(x)}{g(x)}\right] = "
        r"\frac{g(x)\frac{d}{dx}[f(x)] - f(x)\frac{d}{dx}[g(x)]}{[g(x)]^2}",
        "d/dx [f(x)/g(x)] = (g(x) d/dx [f(x)] - f(x) d/dx [g(x)])/[g(x)]²",
    ),
    (r"\frac{dy}{dx} = \frac{dy}{du}\frac{du}{dx}", "dy/dx = dy/du du/dx"),
    (r"f(x+\epsilon) \approx f(x) + f'(x)\epsilon", "f(x+ϵ) ≈ f(x) + f′(x)ϵ"),
    (r"\frac{\partial y}{\partial x_i}", "∂y/∂xᵢ"),
    (
        r"\nabla_{\mathbf{x}} f(\mathbf{x}) = \left[\frac{\partial f}{\partial x_1}, "
        r"\ldots, \frac{\partial f}{\partial x_n}\right]^\top",
        "∇_𝐱 f(𝐱) = [∂f/∂x₁, …, ∂f/∂xₙ]ᵀ",
    ),
    (r"\nabla_{\mathbf{x}} \mathbf{A}^\top \mathbf{x} = \mathbf{A}", "∇_𝐱 𝐀ᵀ 𝐱 = 𝐀"),
    (
        r"\nabla_{\mathbf{x}} \mathbf{x}^\top \mathbf{A} \mathbf{x} = "
        r"(\mathbf{A} + \mathbf{A}^\top)\mathbf{x}",
        "∇_𝐱 𝐱ᵀ 𝐀 𝐱 = (𝐀 + 𝐀ᵀ)𝐱",
    ),
    (r"\nabla_{\mathbf{x}} \|\mathbf{x}\|^2 = 2\mathbf{x}", "∇_𝐱 ‖𝐱‖² = 2𝐱"),
    (r"\nabla_{\mathbf{X}} \|\mathbf{X}\|_F^2 = 2\mathbf{X}", "∇_𝐗 ‖𝐗‖_F² = 2𝐗"),
    (
        r"\mathbf{H} = \begin{bmatrix} \frac{\partial^2 f}{\partial x_1^2} & \cdots \\ "
        r"\vdots & \ddots \end{bmatrix}",
        "𝐇 = [[∂²f/∂x₁², ⋯], [⋮, ⋱]]",
    ),
    (r"H_{ij} = \frac{\partial^2 f}{\partial x_i \partial x_j}", "Hᵢⱼ = ∂²f/(∂xᵢ ∂xⱼ)"),
    (r"f(\mathbf{x}) = 3x_1^2 + 5e^{x_2}", "f(𝐱) = 3x₁² + 5e^(x₂)"),
    # Probability (chapter 4).
    (r"P(A \mid B) = \frac{P(A, B)}{P(B)}", "P(A | B) = P(A, B)/P(B)"),
    (r"P(A, B) = P(B \mid A) P(A)", "P(A, B) = P(B | A) P(A)"),
    (r"P(A, B) = P(A) P(B)", "P(A, B) = P(A) P(B)"),
    (r"E[X] = \sum_x x P(X = x)", "E[X] = ∑ₓ x P(X = x)"),
    (r"p(x) = \frac{1}{b - a}", "p(x) = 1/(b - a)"),
    # Softmax regression (chapter 10).
    (r"\hat{y}_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}", "ŷⱼ = exp(oⱼ)/(∑ₖ exp(oₖ))"),
    (r"H = -\log \hat{y}_{y}", "H = -log ŷ_y"),
    (r"\operatorname*{argmax}_j \hat{y}_j", "argmaxⱼ ŷⱼ"),
    # Written in the lessons already.
    (r"400 \times 400 \times 3 = 480\,000", "400 × 400 × 3 = 480 000"),
    (r"\{(x_i, y_i)\}_{i=1}^{n}", "{(xᵢ, yᵢ)}ᵢ₌₁ⁿ"),
    (r"f(x) = f_3(f_2(f_1(x)))", "f(x) = f₃(f₂(f₁(x)))"),
    (r"f_\theta(x_i)", "f_θ(xᵢ)"),
]

FRACTIONS_AND_ROOTS = [
    (r"\frac{a}{b}", "a/b"),
    (r"\frac{1}{2n}", "1/(2n)"),
    (r"\frac{\partial y}{\partial x}", "∂y/∂x"),
    (r"\frac{a+b}{c}", "(a+b)/c"),
    (r"\dfrac{1}{10} + \tfrac{x}{2}", "1/10 + x/2"),
    (r"\frac{\frac{1}{2}}{x}", "(1/2)/x"),
    (r"\frac{-1}{2}", "-1/2"),
    (r"\frac{\mathrm{d}y}{\mathrm{d}x}", "dy/dx"),
    (r"\frac{1}{\sqrt{2\pi\sigma^2}}", "1/√(2πσ²)"),
    (r"\sqrt{x}", "√x"),
    (r"\sqrt{2}", "√2"),
    (r"\sqrt{x_1}", "√x₁"),
    (r"\sqrt{x + 1}", "√(x + 1)"),
    (r"\sqrt[3]{x}", "∛x"),
    (r"\sqrt[4]{x}", "∜x"),
    (r"\sqrt[n]{x+1}", "ⁿ√(x+1)"),
    (r"\sqrt[k+q]{x}", "(k+q)√x"),
    (r"\binom{n}{k}", "C(n, k)"),
]

SCRIPTS = [
    (r"x_i^2", "xᵢ²"),
    (r"x^{(i)}", "x⁽ⁱ⁾"),
    (r"A^{-1}", "A⁻¹"),
    (r"\mathbf{A}^T", "𝐀ᵀ"),
    (r"\mathbf{A}^{\top}", "𝐀ᵀ"),
    (r"x_{i+1} + x_{n-1}", "xᵢ₊₁ + xₙ₋₁"),
    (r"x^{2n}", "x²ⁿ"),
    (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿ xᵢ"),
    (r"\sum_{n=1}^\infty a_n", "∑ₙ₌₁^∞ aₙ"),
    (r"\int_0^1 f(x)\,dx", "∫₀¹ f(x) dx"),
    (r"\max_x f(x) + \min_{x \in X} g(x)", "maxₓ f(x) + min_(x ∈ X) g(x)"),
    # No Unicode character for the whole script: ASCII forms that stay readable.
    (r"e^{x_2}", "e^(x₂)"),
    (r"\mathbb{R}^{m \times n}", "ℝ^(m × n)"),
    (r"x_F", "x_F"),
    (r"x_{i,j}", "x_(i,j)"),
    (r"y_{\text{pred}}", "y_(pred)"),
    (r"\ell_{\hat y}", "ℓ_ŷ"),
    (r"e^{\frac{1}{2}}", "e^(1/2)"),
    (r"x_12", "x₁2"),  # as in LaTeX, a script without braces takes one character
    (r"{a+b}^2", "a+b²"),
    (r"f'(x) + f''(x) + f^\prime(x)", "f′(x) + f′′(x) + f′(x)"),
    (r"90^\circ", "90°"),
    (r"\underset{x}{\operatorname{argmin}} f(x)", "argminₓ f(x)"),
]

SYMBOLS = [
    (r"\alpha\beta\gamma\delta\epsilon\varepsilon\zeta\eta\theta\vartheta", "αβγδϵεζηθϑ"),
    (
        r"\iota\kappa\lambda\mu\nu\xi\pi\rho\sigma\tau\upsilon\phi\varphi\chi\psi\omega",
        "ικλμνξπρστυϕφχψω",
    ),
    (r"\Gamma\Delta\Theta\Lambda\Xi\Pi\Sigma\Upsilon\Phi\Psi\Omega", "ΓΔΘΛΞΠΣΥΦΨΩ"),
    (r"a \approx b \neq c \leq d \geq e \le f \ge g", "a ≈ b ≠ c ≤ d ≥ e ≤ f ≥ g"),
    (r"a \times b \cdot c \pm d \in S", "a × b · c ± d ∈ S"),
    (r"a \to b \rightarrow c \leftarrow d \Rightarrow e", "a → b → c ← d ⇒ e"),
    (r"\nabla f + \partial g + \infty", "∇f + ∂g + ∞"),
    (r"x_1, \ldots, x_n, \cdots", "x₁, …, xₙ, ⋯"),
    (r"\forall x \exists y", "∀x ∃y"),
    (r"A \subset B \cup C \cap D = \emptyset", "A ⊂ B ∪ C ∩ D = ∅"),
    (r"f \circ g \otimes h \odot k \propto l \sim m \equiv n", "f ∘ g ⊗ h ⊙ k ∝ l ∼ m ≡ n"),
    (r"x \not\in A, a \not= b", "x ∉ A, a ≠ b"),
    (r"\sin x + \cos x + \log x + \exp(x)", "sin x + cos x + log x + exp(x)"),
    (r"\log\hat{y}", "log ŷ"),
    (r"\mathbf{X} \mathbf{x} \mathbf{0} \mathbf{9}", "𝐗 𝐱 𝟎 𝟗"),
    (r"\boldsymbol{\theta} \mathbf{\beta}", "𝛉 𝛃"),
    (r"\mathbb{R} \mathbb{N} \mathbb{Z} \mathbb{Q} \mathbb{C}", "ℝ ℕ ℤ ℚ ℂ"),
    (r"\mathcal{L} \mathcal{B} \mathcal{N}", "ℒ ℬ 𝒩"),
    (r"\hat{y} \bar{x} \tilde{x} \vec{v} \dot{x} \ddot{x}", "ŷ x̄ x̃ v⃗ ẋ ẍ"),
    (r"\hat{xy}", "x̂ŷ"),
    (r"\hat{y_i}", "ŷᵢ"),
]

DELIMITERS_AND_SPACING = [
    (r"\left( x \right)", "(x)"),
    (r"\left. \frac{df}{dx} \right|_{x=0}", "df/dx|ₓ₌₀"),
    (r"\big( x \Big) \bigl[ y \bigr]", "(x) [y]"),
    (r"\lvert x \rvert + \vert y \vert + | z |", "|x| + |y| + |z|"),
    (r"\{ x \}", "{x}"),
    (r"a+b = c", "a+b = c"),
    (r"a + b=c", "a + b=c"),
    (r"a  +   b", "a + b"),
    (r"a\quad b", "a  b"),
    (r"a\,b + a\;b + a\ b + a\!b", "a b + a b + a b + ab"),
    (r"\text{if } x > 0 \text{ otherwise}", "if x > 0 otherwise"),
    (r"\mathrm{softmax}(\mathbf{o})", "softmax(𝐨)"),
    (r"\operatorname{argmin}_x f", "argminₓ f"),
]

ENVIRONMENTS = [
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "[[1, 2], [3, 4]]"),
    (r"\begin{pmatrix} 1 \\ 2 \\ \end{pmatrix}", "[[1], [2]]"),
    (r"\begin{matrix} a & b \end{matrix}", "[[a, b]]"),
    (r"\det \begin{vmatrix} a & b \\ c & d \end{vmatrix}", "det |[[a, b], [c, d]]|"),
    (
        r"\begin{aligned} f(x) &= (x+1)^2 \\ &= x^2 + 2x + 1 \end{aligned}",
        "f(x) = (x+1)²; = x² + 2x + 1",
    ),
    (r"\begin{align} a &= b \\ c &= d \end{align}", "a = b; c = d"),
    (
        r"|x| = \begin{cases} x & x \ge 0 \\ -x & \text{otherwise} \end{cases}",
        "|x| = {x, x ≥ 0; -x, otherwise}",
    ),
    (r"a \\ b", "a; b"),
]

UNKNOWN = [
    (r"\foo{x} + 1", r"\foo{x} + 1"),
    (r"\foo x", r"\foo x"),
    (r"\textcolor{red}{x}", "x"),
]


@pytest.mark.parametrize(
    ("latex", "expected"),
    NORMS
    + CURRICULUM
    + FRACTIONS_AND_ROOTS
    + SCRIPTS
    + SYMBOLS
    + DELIMITERS_AND_SPACING
    + ENVIRONMENTS
    + UNKNOWN,
)
def test_renders_exactly(latex: str, expected: str) -> None:
    """Each formula renders to exactly the expected Unicode."""
    # Editors store `ŷ` precomposed; the renderer writes y + U+0302. Both are the same text.
    assert _nfc(latex_to_unicode(latex)) == _nfc(expected)


def _nfc(text: str) -> str:
    """Canonical composition, so precomposed and combining accents compare equal."""
    return unicodedata.normalize("NFC", text)


def test_accents_are_combining_characters() -> None:
    r"""`\hat` adds U+0302 after the letter, also after bold letters (no precomposed form)."""
    assert latex_to_unicode(r"\hat{y}") == "y\u0302"
    assert latex_to_unicode(r"\bar{x}") == "x\u0304"
    assert latex_to_unicode(r"\hat{\mathbf{y}}") == "\U0001d432\u0302"


@pytest.mark.parametrize(
    "latex",
    [r"\left( x \right)", r"\left(\sum_i x_i\right)", r"\left[ a \right]", r"\leftarrow"],
)
def test_left_is_never_read_as_le(latex: str) -> None:
    r"""`\left(` is a delimiter, not `\le` followed by "ft(" (unicodeit's bug)."""
    rendered = latex_to_unicode(latex)
    assert "ft" not in rendered
    assert "≤" not in rendered


@pytest.mark.parametrize(
    "latex",
    [
        "",
        "   ",
        r"\frac{",
        "}}}",
        "{{{",
        "^",
        "_",
        "x^",
        r"\begin{bmatrix}",
        r"\begin{bmatrix} 1 & 2",
        r"\end{bmatrix}",
        r"\sqrt[3",
        r"\left(",
        r"\right)",
        r"\mathbf{",
        "$x",
        "$$",
        "&&&",
        r"\\\\",
        "%",
        "\\",
        r"\frac{1}{2",
        "{" * 500 + "x" + "}" * 500,
    ],
)
def test_never_raises_on_garbage(latex: str) -> None:
    """Malformed input gives a string (a best effort or the source), never an exception."""
    assert isinstance(latex_to_unicode(latex), str)


@pytest.mark.parametrize(
    ("latex", "expected"),
    [("", ""), ("}}}", "}}}"), (r"\frac{", r"\frac{}"), (r"\frac{1}{2", "1/2"), ("^", "^")],
)
def test_garbage_falls_back_readably(latex: str, expected: str) -> None:
    """What cannot be parsed shows as its source, or as much of it as parsed."""
    assert latex_to_unicode(latex) == expected


def test_does_not_import_textual() -> None:
    """The renderer is part of the pure core: importing it must not pull in Textual."""
    code = "import sys, d2l_tui.course.mathtext; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
