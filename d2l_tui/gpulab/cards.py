"""Well-known GPUs' datasheet figures (curriculum §6), each with its source, and ratios to this machine."""

from __future__ import annotations

from dataclasses import dataclass

from d2l_tui.gpulab.words import say


@dataclass(frozen=True)
class Card:
    """One GPU's vendor figures: dense (no sparsity) peak compute, memory and memory bandwidth."""

    name: str
    kind: str
    """"consumer" (GeForce) or "data center" (Tesla / A100 / H100)."""
    fp32_tflops: float
    fp16_tflops: float | None
    """fp16 tensor-core peak, dense, with fp32 accumulate (GeForce cards run that at half their fp16-accumulate
    rate); None for a card without tensor cores (Pascal)."""
    memory_gb: float
    memory_note: str
    bandwidth_gbs: float
    source: str
    url: str
    """The vendor's product page, which links the datasheet or whitepaper named in `source`."""

    @property
    def ridge(self) -> float:
        """fp32 FLOPs per byte at which this card stops being bandwidth-bound."""
        return self.fp32_tflops * 1000 / self.bandwidth_gbs


CARDS: tuple[Card, ...] = (
    Card(
        "GTX 1080 Ti",
        "consumer",
        11.3,
        None,
        11,
        "11 GB GDDR5X",
        484,
        "NVIDIA GeForce GTX 1080 Ti specifications (Pascal GP102)",
        "https://www.nvidia.com/en-us/geforce/products/10series/geforce-gtx-1080-ti/",
    ),
    Card(
        "RTX 2080 Ti",
        "consumer",
        13.4,
        53.8,
        11,
        "11 GB GDDR6",
        616,
        "NVIDIA Turing GPU Architecture whitepaper, table 1 (reference clocks)",
        "https://www.nvidia.com/en-us/geforce/graphics-cards/rtx-2080-ti/",
    ),
    Card(
        "RTX 3090",
        "consumer",
        35.6,
        71,
        24,
        "24 GB GDDR6X",
        936,
        "NVIDIA Ampere GA102 GPU Architecture whitepaper",
        "https://www.nvidia.com/en-us/geforce/graphics-cards/30-series/rtx-3090-3090ti/",
    ),
    Card(
        "RTX 4090",
        "consumer",
        82.6,
        165.2,
        24,
        "24 GB GDDR6X",
        1008,
        "NVIDIA Ada Lovelace GPU Architecture whitepaper",
        "https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/",
    ),
    Card(
        "Tesla V100 SXM2",
        "data center",
        15.7,
        125,
        32,
        "16 or 32 GB HBM2",
        900,
        "NVIDIA Tesla V100 GPU datasheet",
        "https://www.nvidia.com/en-us/data-center/v100/",
    ),
    Card(
        "A100 SXM 80GB",
        "data center",
        19.5,
        312,
        80,
        "80 GB HBM2e",
        2039,
        "NVIDIA A100 Tensor Core GPU datasheet",
        "https://www.nvidia.com/en-us/data-center/a100/",
    ),
    Card(
        "H100 SXM",
        "data center",
        67,
        989,
        80,
        "80 GB HBM3",
        3350,
        "NVIDIA H100 Tensor Core GPU datasheet",
        "https://www.nvidia.com/en-us/data-center/h100/",
    ),
)
NOTE = (
    "Vendor peak figures, dense (no sparsity); fp16 is the tensor-core rate with fp32 accumulate "
    "(the GTX 1080 Ti has no tensor cores). Measured figures on this machine are what it really reaches, "
    "so the ratios flatter the cards a little."
)


@dataclass(frozen=True)
class Comparison:
    """A card beside this machine: how many times its compute and bandwidth this machine's measured ones are."""

    card: Card
    compute_ratio: float
    bandwidth_ratio: float

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        c = self.card
        return {
            "name": c.name,
            "kind": c.kind,
            "fp32_tflops": c.fp32_tflops,
            "fp16_tflops": c.fp16_tflops,
            "memory_gb": c.memory_gb,
            "bandwidth_gbs": c.bandwidth_gbs,
            "ridge_flops_per_byte": c.ridge,
            "compute_ratio": self.compute_ratio,
            "bandwidth_ratio": self.bandwidth_ratio,
            "source": c.source,
            "url": c.url,
        }


def compare(
    peak_gflops: float, bandwidth_gbs: float, cards: tuple[Card, ...] = CARDS
) -> list[Comparison]:
    """Each card's fp32 compute and bandwidth as multiples of this machine's measured ones."""
    return [
        Comparison(card, card.fp32_tflops * 1000 / peak_gflops, card.bandwidth_gbs / bandwidth_gbs)
        for card in cards
    ]


def times(ratio: float) -> str:
    """A ratio as a learner reads it: "650×", "1.5×", "0.42×"."""
    if ratio >= 10:
        return f"{ratio:,.0f}×"
    if ratio >= 1:
        return f"{ratio:.1f}×"
    return f"{ratio:.2g}×" if ratio > 0 else "—"


def headline(comparison: Comparison, machine: str, lang: str = "en") -> str:
    """One sentence, e.g. "An H100 SXM has about 650× this CPU's measured fp32 compute and 115× its bandwidth."""
    if lang != "en":
        return say(
            lang, "headline", name=comparison.card.name, machine=machine,
            compute=times(comparison.compute_ratio), bandwidth=times(comparison.bandwidth_ratio),
        )
    article = "An" if comparison.card.name[0] in "AEFHILMNORSX" else "A"
    return (
        f"{article} {comparison.card.name} has about {times(comparison.compute_ratio)} {machine}'s measured "
        f"fp32 compute and about {times(comparison.bandwidth_ratio)} its measured memory bandwidth."
    )
