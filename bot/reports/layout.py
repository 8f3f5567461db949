"""How wide each column of a printed table must be, and whether the table needs a landscape page.

A column is never narrower than its longest word (so no word is ever broken letter by letter), and the room left
over goes to the columns with the most text. A word's width is measured with the published widths of Helvetica
Bold (Arial and LibreOffice's Liberation Sans have the same widths; bold is the widest, so it is safe for all text);
the rest of the text is estimated from its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.reports.model import Table

PORTRAIT_CM = 21.0 - 2 * 2.0  # A4 less 2 cm margins
LANDSCAPE_CM = 29.7 - 2 * 1.5  # A4 on its side, 1.5 cm margins
PADDING_CM = 0.55  # the cell's own left and right margins (0.19 cm each in Word), and a little air
CHAR_EM = 0.52  # average width of a character in running text, in ems
COMFORTABLE_CHARS = 42  # a column wider than this many characters does not read better
SIZES_PT = (8.5, 8.0, 7.0)  # tried in turn until the table fits


@dataclass(frozen=True)
class Layout:
    landscape: bool
    font_pt: float
    widths_cm: tuple[float, ...]

    @property
    def total_cm(self) -> float:
        return sum(self.widths_cm)


def char_cm(font_pt: float) -> float:
    return font_pt * CHAR_EM * 2.54 / 72


# Helvetica Bold advance widths in thousandths of an em (Adobe's AFM); other characters count as the widest capital.
_WIDTHS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()-.,:;'/%&+",
        (
            556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611,
            556, 778, 556, 556, 500, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667,
            778, 722, 667, 611, 722, 667, 944, 667, 667, 611, *(556,) * 10, 333, 333, 333, 278, 278, 333, 333, 238,
            278, 889, 722, 584,
        ),
        strict=True,
    )
)  # fmt: skip
OTHER = 1000


def word_em(word: str) -> float:
    """How wide a word is, in ems, set in bold."""
    return sum(_WIDTHS.get(ch, OTHER) for ch in word) / 1000


def longest_word(text: str) -> float:
    """The widest word of the text, in ems."""
    return max((word_em(word) for word in text.split()), default=0.0)


def column_needs(table: Table) -> tuple[list[float], list[int]]:
    """Per column: the widest word (ems) and the longest text (characters, capped), over the heading and rows."""
    words = [longest_word(name) for name in table.columns]
    texts = [min(len(name), COMFORTABLE_CHARS) for name in table.columns]
    for row in table.shown_rows():
        for j, value in enumerate(row):
            words[j] = max(words[j], longest_word(value.text))
            texts[j] = max(texts[j], min(len(value.text), COMFORTABLE_CHARS))
    return words, texts


def layout(table: Table) -> Layout:
    """Portrait if the table fits comfortably, landscape otherwise; smaller type only when nothing else fits."""
    words, texts = column_needs(table)
    for font in SIZES_PT:
        em = font * 2.54 / 72
        least = [w * em + PADDING_CM for w in words]
        wanted = [max(t * char_cm(font) + PADDING_CM, low) for t, low in zip(texts, least, strict=True)]
        if sum(wanted) <= PORTRAIT_CM * 1.15 and sum(least) <= PORTRAIT_CM:
            return Layout(False, font, spread(least, wanted, PORTRAIT_CM))
        if sum(least) <= LANDSCAPE_CM:
            return Layout(True, font, spread(least, wanted, LANDSCAPE_CM))
    least = [w * SIZES_PT[-1] * 2.54 / 72 + PADDING_CM for w in words]
    return Layout(True, SIZES_PT[-1], tuple(width * LANDSCAPE_CM / sum(least) for width in least))


def spread(least: list[float], wanted: list[float], room: float) -> tuple[float, ...]:
    """Every column gets at least its longest word; what is left goes where the text is longest."""
    if sum(wanted) <= room:
        return tuple(width * room / sum(wanted) for width in wanted)
    extra = room - sum(least)
    hunger = [want - low for want, low in zip(wanted, least, strict=True)]
    total = sum(hunger) or 1.0
    return tuple(low + extra * h / total for low, h in zip(least, hunger, strict=True))
