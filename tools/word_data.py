"""What the build-time word tools share: the languages English is compared with, and how a large set is written."""

from __future__ import annotations

import base64
import zlib

# wordfreq's languages that English is compared with: a word much more common in English than in these is an
# ordinary English word, a name is about as common in all of them.
OTHER_LANGUAGES = ("de", "fr", "es", "it", "nl", "pt", "pl", "sv")


def as_packed(name: str, words: set[str]) -> str:
    """A large set as zlib-compressed, base64 text, unpacked once when the module is imported."""
    blob = base64.b64encode(zlib.compress(" ".join(sorted(words)).encode(), 9)).decode()
    lines = "".join(f'    b"{blob[k : k + 112]}"\n' for k in range(0, len(blob), 112))
    unpack = f"frozenset(zlib.decompress(base64.b64decode(_{name}_PACKED)).decode().split())"
    return f"_{name}_PACKED = (\n{lines})\n{name} = {unpack}\n"
