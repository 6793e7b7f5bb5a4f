"""Names people give (technicians, workshops): what is accepted, and the key that finds them.

A name appears in addresses (`/inventaire/stock/{nom}`), so « Jean/Paul » was accepted and then
unreachable (405/404). Invisible characters (zero-width space, soft hyphen: Unicode category
Cf) and control characters made a second « Allan » that nobody could tell from the first, and
so did fullwidth letters (« Ａｌｌａｎ »). Names are therefore refused with those characters,
and compared under NFKC and case folding, so look-alikes are the same name. NFKC does not join
scripts: a Cyrillic « А » beside Latin letters made « Аllan » a second Allan, so a name whose
letters mix the scripts that look alike (Latin, Cyrillic, Greek…) is refused; a name wholly in
one of them (« Дмитрий ») is fine.
"""

from __future__ import annotations

import sys
import unicodedata

FORBIDDEN = "/\\"  # path separators (a proxy may turn "\" into "/")


def _refused(char: str) -> bool:
    """Control characters that are not spaces (spaces become single spaces), and invisible formats."""
    category = unicodedata.category(char)
    return (category == "Cc" and not char.isspace()) or category == "Cf"


def _refused_ranges() -> str:
    """Every refused character, as regex class ranges of the characters themselves."""
    codes = [c for c in range(sys.maxunicode + 1) if _refused(chr(c))]
    ranges, start = [], codes[0]
    for previous, code in zip(codes, [*codes[1:], -1], strict=True):
        if code != previous + 1:
            ranges.append(chr(start) if start == previous else f"{chr(start)}-{chr(previous)}")
            start = code
    return "".join(ranges)


# What a name may not contain, as the body of a regex class (the OpenAPI pattern of names).
REFUSED_CLASS = "/\\\\" + _refused_ranges()


def clean_name(nom: str) -> str:
    """A name as stored and shown: trimmed, single spaces, composed accents (NFC: "é" typed either way)."""
    return unicodedata.normalize("NFC", " ".join(nom.split()))


def name_key(nom: str) -> str:
    """The key a name is found and compared by: NFKC with case folding (`ＡＬＬＡＮ`, `allan`, `Allan` are one)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", clean_name(nom)).casefold())


# Scripts with letters that look like another's (Unicode character names start with them).
LOOKALIKE_SCRIPTS = {"LATIN": "latin", "CYRILLIC": "cyrillique", "GREEK": "grec", "ARMENIAN": "arménien",
                     "CHEROKEE": "cherokee", "COPTIC": "copte"}


def mixed_scripts(nom: str) -> str | None:
    """Why the letters of this name mix look-alike scripts (French), or None."""
    seen: dict[str, str] = {}
    for char in unicodedata.normalize("NFKC", nom):
        if unicodedata.category(char).startswith("L"):
            script = unicodedata.name(char, "").split(" ", 1)[0]
            if script in LOOKALIKE_SCRIPTS:
                seen.setdefault(script, char)
    if len(seen) < 2:
        return None
    first, *others = sorted(seen, key=lambda s: s != "LATIN")  # Latin first: the usual case
    odd = seen[others[0]]
    return (f"mélange les alphabets {LOOKALIKE_SCRIPTS[first]} et {LOOKALIKE_SCRIPTS[others[0]]} "
            f"(« {odd} », U+{ord(odd):04X}) : écrivez-le dans un seul alphabet")


def name_problem(nom: str) -> str | None:
    """Why this name cannot be used (French), or None when it can (spaces of any kind are fine)."""
    for char in clean_name(nom):
        if char in FORBIDDEN:
            return f"ne doit pas contenir « {char} » (le nom figure dans des adresses)"
        if _refused(char):
            if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":  # as kit/schemas.py says it
                return f"ne doit pas contenir de caractère qui inverse le sens du texte (U+{ord(char):04X})"
            if unicodedata.category(char) == "Cc":
                return "ne doit pas contenir de caractères de contrôle"
            return f"ne doit pas contenir de caractère invisible (U+{ord(char):04X})"
    return mixed_scripts(clean_name(nom))


def checked_name(nom: str, *, what: str, max_length: int) -> str:
    """The name to store (clean_name), or ValueError (French) saying what is wrong with it."""
    problem = name_problem(nom)
    if problem is not None:
        raise ValueError(f"{what} {problem}")
    nom = clean_name(nom)
    if not nom:
        raise ValueError(f"{what} ne doit pas être vide")
    if len(name_key(nom)) > max_length:  # "ß" folds to "ss", "ﬁ" to "fi"
        raise ValueError(
            f"{what} trop long : au plus {max_length} caractères une fois en minuscules (« ß » en compte deux)")
    return nom


def loose_key(nom: str) -> str:
    """name_key without accents: suppliers typed « Röslau » and « ROSLAU » are one (the office types both)."""
    decomposed = unicodedata.normalize("NFKD", name_key(nom))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def de(nom: str) -> str:
    """« de » before a name, elided as French writes it: « d'Allan », « d'Atelier », « d'Éric », « de Marc ».

    A name starting with a vowel (a e i o u y, accented or not, either case) elides; so does one
    starting with « h », which is a guess: names take the mute h (« d'Hélène », « d'Hugo ») far more
    often than the aspirated one (« de Hamel » would be right), and a name does not say which it has.
    """
    first = unicodedata.normalize("NFD", nom.lstrip()[:1]).casefold()[:1]
    return f"d'{nom}" if first and first in "aeiouyh" else f"de {nom}"
