"""Generate handlers/screen_name_data.py from two maintained packages (build time only, never at run time).

    .venv/bin/pip install -e '.[name-data]'   # names-dataset 3.3.1 and wordfreq 3.1.1, pinned in pyproject.toml
    .venv/bin/python -m tools.name_data

- ``names-dataset`` (Philippe Remy; first and last names by country with popularity ranks, from a large public
  dataset): the most common first names and surnames for the UK and Ireland, and the countries most UK families
  have roots in besides.
- ``wordfreq`` (Robyn Speer; word frequencies in many languages): a word that is much more common in English than in
  other European languages is an ordinary English word ("hope", "will", "summer", "young") rather than a name; names
  are about as common in every language ("sarah", "jayden", "mohammed"). That decides which names may be flagged in
  lower case and at the start of a sentence.

The screen's own word lists (``handlers.screen_words``: ordinary words, agency terms, titles) are left out of every
set, so nothing they say is ordinary becomes a name. The full dataset takes about 2 GB of memory to load once.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from names_dataset import NameDataset  # type: ignore[import-untyped, import-not-found, unused-ignore]
from wordfreq import zipf_frequency  # type: ignore[import-not-found, unused-ignore]

from handlers.screen_words import CUE_WORDS, FUNCTION_WORDS, GENERIC, KIN_TITLES, TITLES, WORDLIKE_NAMES
from tools.word_data import OTHER_LANGUAGES, as_packed

OUT = Path(__file__).resolve().parent.parent / "handlers" / "screen_name_data.py"
# Country, how many first names of each sex, how many surnames.
SOURCES = (("GB", 3000, 5000), ("IE", 500, 800), ("US", 800, 1000))
ROOTS = (
    "PL",
    "RO",
    "LT",
    "IN",
    "PK",
    "BD",
    "NG",
    "GH",
    "SO",
    "JM",
    "TR",
    "PT",
    "IT",
    "FR",
    "ES",
    "DE",
    "AL",
    "IR",
    "IQ",
)
ROOT_FIRST, ROOT_LAST = 150, 150
SHAPE = re.compile(r"^[a-z][a-z'\-]*[a-z]$")
EXCLUDED = GENERIC | FUNCTION_WORDS | TITLES | KIN_TITLES | CUE_WORDS | WORDLIKE_NAMES
# A first name may be flagged alone in lower case when English uses it no more than 0.6 more than other languages
# do (third-highest of eight, in Zipf units) and it is uncommon in English (under 4.0), or when it is about as common
# everywhere (margin under 0.2: "sarah", "olivia") and under 4.7, or when it is rare in English at all (under 3.2,
# where the margin is noise: "kayleigh"). Three letters at least ("kit", "al" are words).
LOWER_CASE_RULES = ((0.6, 4.0), (0.2, 4.7), (9.9, 3.2))
# A surname next to a flagged name, and a first name at the start of a sentence: not plainly an English word.
SURNAME_RULES = ((0.9, 5.0), (9.9, 3.2))
START_RULES = ((0.9, 5.0), (9.9, 3.2))
# Common first names that are also ordinary words or places ("grace", "will", "summer", "devon"): flagged only with a
# person context ("faith's mum", "holly (4)", "Summer hasn't been in"). From the most common names only, where the
# dataset has little noise.
WORDLIKE_SOURCES = (("GB", 700), ("IE", 300), ("US", 500))
# Rarer first names, deep in each country's ranking: the dataset counts adults, so the names many children have now
# ("jaxon", "nevaeh", "reyansh", "ayaan") rank in the thousands. Only names that are very rare in English text (Zipf
# under 2.5) and at least four letters long are taken, so that no English word, however uncommon, becomes a name.
DEEP_SOURCES = (
    ("GB", 15000),
    ("US", 10000),
    ("IE", 4000),
    ("CA", 6000),
    ("IN", 5000),
    ("NG", 2000),
    ("PK", 2000),
    ("BD", 2000),
    ("PL", 2000),
    ("RO", 2000),
    ("TR", 2000),
    ("SO", 1000),
    ("GH", 1000),
    ("JM", 2000),
    ("PT", 1500),
    ("LT", 1500),
    ("AL", 1000),
    ("IR", 1500),
    ("IQ", 1000),
    ("PH", 2000),
    ("CN", 1000),
)
DEEP_ENGLISH_CEILING = 2.5


def english_margin(word: str) -> tuple[float, float]:
    english = zipf_frequency(word, "en")
    others = sorted(zipf_frequency(word, language) for language in OTHER_LANGUAGES)
    return english, english - others[-3]


def collect(dataset: NameDataset) -> tuple[set[str], set[str]]:
    first: set[str] = set()
    last: set[str] = set()
    plan = [*SOURCES, *((country, ROOT_FIRST, ROOT_LAST) for country in ROOTS)]
    for country, first_n, last_n in plan:
        for names in dataset.get_top_names(n=first_n, country_alpha2=country).get(country, {}).values():
            first.update(n.lower() for n in names)
        surnames = dataset.get_top_names(n=last_n, country_alpha2=country, use_first_names=False).get(country, [])
        last.update(n.lower() for n in surnames)
    keep = {n for n in first | last if SHAPE.match(n) and len(n) > 2 and n not in EXCLUDED}
    return first & keep, last & keep


def wordlike_first_names(dataset: NameDataset, at_start: set[str]) -> set[str]:
    first: set[str] = set()
    for country, n in WORDLIKE_SOURCES:
        for names in dataset.get_top_names(n=n, country_alpha2=country).get(country, {}).values():
            first.update(name.lower() for name in names)
    first = {name for name in first if SHAPE.match(name) and len(name) > 2}
    return first - at_start - FUNCTION_WORDS - TITLES - KIN_TITLES - CUE_WORDS


def rare_first_names(dataset: NameDataset, listed: set[str]) -> set[str]:
    first: set[str] = set()
    for country, n in DEEP_SOURCES:
        for names in dataset.get_top_names(n=n, country_alpha2=country).get(country, {}).values():
            first.update(name.lower() for name in names)
    first = {name for name in first - listed if SHAPE.match(name) and len(name) > 3 and name not in EXCLUDED}
    return {name for name in first if zipf_frequency(name.split("-")[0], "en") < DEEP_ENGLISH_CEILING}


def split(names: set[str], rules: tuple[tuple[float, float], ...]) -> set[str]:
    chosen = set()
    for name in names:
        english, over = english_margin(name.split("-")[0])
        if any(over < margin and english < ceiling for margin, ceiling in rules):
            chosen.add(name)
    return chosen


def as_python(name: str, words: set[str]) -> str:
    body = textwrap.wrap(" ".join(sorted(words)), 112, break_on_hyphens=False)
    return f'{name} = frozenset(\n    """\n' + "".join(f"    {line}\n" for line in body) + '    """.split()\n)\n'


def main() -> None:
    dataset = NameDataset()
    first, last = collect(dataset)
    at_start = split(first, START_RULES)
    sets = {
        "FIRST_NAMES_AT_START": at_start,
        "FIRST_NAMES_IN_LOWER_CASE": split(first, LOWER_CASE_RULES),
        "SURNAMES_IN_LOWER_CASE": split(last, SURNAME_RULES),
        "FIRST_NAMES_THAT_ARE_WORDS": wordlike_first_names(dataset, at_start),
    }
    rare = rare_first_names(dataset, first | sets["FIRST_NAMES_IN_LOWER_CASE"] | at_start)
    doc = (
        '"""Generated by `python -m tools.name_data` from names-dataset 3.3.1 and wordfreq 3.1.1; do not edit.\n\n'
        "First names and surnames common in the UK, Ireland and the countries many UK families have roots in, less\n"
        "ordinary English words; and the common first names that are ordinary words, flagged only with a person\n"
        "context (see tools/name_data.py for how).\n"
        + "\n".join(f"{k}: {len(v)} names." for k, v in sets.items())
        + f"\nRARE_FIRST_NAMES: {len(rare)} names (zlib-compressed, base64), for lower case and a sentence's start."
        + '\n"""\n\nimport base64\nimport zlib\n\n'
    )
    body = "\n".join(as_python(k, v) for k, v in sets.items()) + "\n" + as_packed("RARE_FIRST_NAMES", rare)
    OUT.write_text(doc + body, encoding="utf-8")
    counts = ", ".join(f"{k} {len(v)}" for k, v in sets.items())
    print(f"wrote {OUT.name}: {counts}, RARE_FIRST_NAMES {len(rare)}")


if __name__ == "__main__":
    main()
