"""Personal names: honorifics apart from the name, and phonetic keys for blocking.

Thai rosters write a name with its titles in front, spaced or glued (``นายสมชาย ใจดี``,
``น.ส. สมศรี ใจดี``, ``ผศ.ดร.สมชาย``, ``ผญบ.สมชาย``). The resolver compares first names and
surnames without them, so :func:`split_name` sets them apart. It uses its own word lists,
not the pythainlp word tokenizer, which splits personal names into syllables
(``นายสมชาย`` → ``นาย|สม|ชาย``; see FIELD_NOTES).

A title that is also the start of a role is left alone: ``นายก อบต.บ้านนา`` (the chair of a
tambon administration) and ``นายอำเภอ`` (a district chief) are roles, not "Mr ก".

References
----------
.. [1] Royal Institute, *หลักเกณฑ์การใช้เครื่องหมายวรรคตอนและเครื่องหมายอื่น ๆ* (Thai
   abbreviations with dots, e.g. น.ส., ผศ., พ.ต.ท.).
.. [2] Udompanich, W. (1983). Thai soundex ("udom83"), and Lorchirachoonkul, V. (1982).
   A Thai soundex system ("lk82"); as implemented in ``pythainlp.soundex`` (offline).
.. [3] Russell, R. C. (1918). US Patent 1,261,167 (Soundex), as described by the US
   National Archives, "The Soundex Indexing System" (2007), for names in Latin letters.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from pythainlp import thai_consonants
from pythainlp.soundex import soundex

#: Titles written as words: (form, gender, may be glued to the name). Gender is "m", "f" or
#: "" and only feeds a weak comparison. ``พระ`` is glued only in the compounds listed: many
#: lay names and surnames start with พระ (พระพาย, พระสุวรรณ).
WORD_HONORIFICS: tuple[tuple[str, str, bool], ...] = (
    ("นาย", "m", True),
    ("นาง", "f", True),
    ("นางพยาบาล", "f", True),
    ("นางสาว", "f", True),
    ("เด็กชาย", "m", True),
    ("เด็กหญิง", "f", True),
    ("คุณ", "", True),
    ("คุณหญิง", "f", True),
    ("ผู้ใหญ่บ้าน", "", True),
    ("ผู้ใหญ่", "", True),
    ("พ่อหลวง", "m", True),
    ("แม่หลวง", "f", True),
    ("กำนัน", "", True),
    ("อาจารย์", "", True),
    ("ครู", "", True),
    ("ศาสตราจารย์", "", True),
    ("รองศาสตราจารย์", "", True),
    ("ผู้ช่วยศาสตราจารย์", "", True),
    ("นายแพทย์", "m", True),
    ("แพทย์หญิง", "f", True),
    ("ว่าที่", "", True),
    ("ร้อยตรี", "", True),
    ("ร้อยโท", "", True),
    ("ร้อยเอก", "", True),
    ("หม่อมราชวงศ์", "", True),
    ("หม่อมหลวง", "", True),
    ("พระ", "m", False),
    ("พระครู", "m", True),
    ("พระมหา", "m", True),
    ("พระอธิการ", "m", True),
    ("แม่ชี", "f", True),
    ("ผู้ช่วยผู้ใหญ่บ้าน", "", True),
    ("สารวัตรกำนัน", "", True),
    ("ทันตแพทย์", "m", True),
    ("ทันตแพทย์หญิง", "f", True),
    ("เภสัชกร", "", True),
    ("ด็อกเตอร์", "", True),
    ("พระอาจารย์", "m", True),
    ("พระปลัด", "m", True),
    ("พระสมุห์", "m", True),
    ("พระใบฎีกา", "m", True),
    ("สามเณร", "m", True),
    ("หลวงพ่อ", "m", True),
    ("ดาบตำรวจ", "", True),
    ("พลตำรวจ", "", True),
    ("พลทหาร", "", True),
) + tuple(
    # Military and police ranks spelled out (พันตำรวจโท, จ่าสิบเอก, นาวาอากาศตรี, …): each
    # grade word, with or without its service, then เอก/โท/ตรี. Their abbreviations
    # (พ.ต.ท., จ.ส.อ.) are dotted runs. Ranks tell no gender.
    (grade + service + level, "", True)
    for grade in ("พล", "พัน", "ร้อย", "จ่าสิบ", "สิบ", "นาวา", "เรือ", "พันจ่า", "จ่า")
    for service in ("", "ตำรวจ", "อากาศ", "เรือ")
    for level in ("เอก", "โท", "ตรี")
)

#: Titles in Latin letters, matched without case and only when spaced or dotted.
LATIN_HONORIFICS: dict[str, str] = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dr": "",
    "prof": "",
    "assoc": "",
    "asst": "",
    "khun": "",
}

#: Dotted abbreviations whose gender is known; any other dotted prefix (ผศ., ดร., พ.ต.ท.,
#: ส.อบต., ผญบ.) is set apart too, without a gender.
DOTTED_GENDER: dict[str, str] = {"น.ส.": "f", "นส.": "f", "ด.ช.": "m", "ด.ญ.": "f", "นพ.": "m", "พญ.": "f",
                                 "ทพ.": "m", "ทพญ.": "f"}

#: Words that begin with a title but are roles: ``นายก`` followed by a body or nothing, and
#: ``นาย`` + an occupation. ``นายกฤษณ์``, ``นายกมล`` stay "Mr Krit", "Mr Kamon".
ROLE_PATTERN = re.compile(
    r"^(?:นายก(?=$|[\s.]|เทศมนตรี|อบต|อบจ|องค์การ|สมาคม|สภา|รัฐมนตรี|สโมสร|ชมรม|เมือง)"
    r"|นาย(?:อำเภอ|ช่าง|ทหาร|ตำรวจ|หน้า|จ้าง|ทุน|ด่าน|ตรวจ|สถานี|ห้าง))"
)

#: Dotted abbreviations at the start: one to four Thai letters then a dot, repeated
#: (น.ส., พ.ต.ท., ผศ.ดร.), spaces allowed after each dot. A run is one title: there is no
#: telling พ.ต.ท. (one rank) from ผศ.ดร. (two titles) without a list of every rank.
DOTTED_PATTERN = re.compile(r"^((?:[\u0e01-\u0e4e]{1,4}\.\s*)+)")
LATIN_PATTERN = re.compile(r"^([A-Za-z]+)(?:\.\s*|\s+)")
#: A glued name must start a syllable: a consonant or a leading vowel (เ แ โ ใ ไ), so that
#: ``คุณากร`` (a name) is not read as ``คุณ`` + ``ากร``.
SYLLABLE_START = re.compile(r"^[\u0e01-\u0e2e\u0e40-\u0e44]")
PARENTHESES = re.compile(r"\([^)]*\)")

#: Word titles by their text, and by their first letters (as many as the shortest title
#: has) the lengths of the titles that start with them, longest first: a name is looked up
#: by its first few letters at those lengths (two or three lookups for นาย and นาง, which
#: start four names in five; nine at most, for the ranks) instead of tried against every
#: title and rank (over 150). One lookup of the first letters tells most other names (and
#: every name once its titles are off) that no title starts them.
_WORDS = {word: (gender, may_glue) for word, gender, may_glue in WORD_HONORIFICS}
_PREFIX_LENGTH = min(len(w) for w in _WORDS)
_WORD_LENGTHS = {prefix: sorted({len(w) for w in _WORDS if w.startswith(prefix)}, reverse=True)
                 for prefix in {w[:_PREFIX_LENGTH] for w in _WORDS}}
_LATIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


class NameParts(NamedTuple):
    """A personal name taken apart (a named tuple: a national run makes 200,000 of them).

    Attributes
    ----------
    honorifics : the titles in the order written; a run of dotted abbreviations stays one
        title as written without spaces (``("ว่าที่", "ร.ต.")``, ``("ผศ.ดร.",)``).
    first : the first (given) name, or the whole text when it is one word.
    last : the surname; ``""`` when none was written. A surname of several words
        (``ณ อยุธยา``) is kept whole.
    gender : ``"m"``, ``"f"`` or ``""``, from the titles only.
    """

    honorifics: tuple[str, ...]
    first: str
    last: str
    gender: str = ""

    @property
    def full(self) -> str:
        """First name and surname without titles."""
        return f"{self.first} {self.last}".strip()


@lru_cache(maxsize=1 << 18)  # rosters repeat names; 262,144 entries stay under ~100 MB
def split_name(text: str) -> NameParts:
    """Set apart the titles of a name, then split it into first name and surname.

    Parameters
    ----------
    text : a name as written on a roster, already normalised
        (:func:`analysis.ingest.normalise.normalise_text`). Notes in parentheses are dropped.

    Returns
    -------
    NameParts. When nothing but titles was written, the text itself is the first name, so
    that two records reading only ``นาย`` never agree on an empty name.

    Examples
    --------
    >>> split_name("นายสมชาย ใจดี")
    NameParts(honorifics=('นาย',), first='สมชาย', last='ใจดี', gender='m')
    >>> split_name("ผศ.ดร. สมศรี ณ อยุธยา").honorifics
    ('ผศ.ดร.',)
    >>> split_name("ผศ.ดร. สมศรี ณ อยุธยา").last
    'ณ อยุธยา'
    >>> split_name("นายก อบต.บ้านนา").honorifics
    ()
    >>> split_name("นายกฤษณ์ ใจดี").first
    'กฤษณ์'
    >>> split_name("Mr. John Smith").full
    'John Smith'
    """
    text = str(text)
    rest = " ".join((PARENTHESES.sub(" ", text) if "(" in text else text).split())
    honorifics: list[str] = []
    gender = ""
    while rest:
        found = _strip_one_honorific(rest)
        if found is None:
            break
        title, title_gender, rest = found
        honorifics.append(title)
        gender = title_gender or gender  # the last title that tells gender
    if not rest:
        return NameParts((), " ".join(honorifics) or text.strip(), "", gender)
    first, _, last = rest.partition(" ")  # rest is single-spaced: the first space ends the first name
    return NameParts(tuple(honorifics), first, last, gender)


def _strip_one_honorific(text: str) -> tuple[str, str, str] | None:
    """The first title of ``text``, its gender and what follows; None when there is none.

    Each pattern is tried only when the text can match it (a role starts with นาย, a dotted
    run has a dot within its first five letters, a Latin title starts with an ASCII letter,
    a word title with the first letters of one):
    two hundred thousand distinct names of a national run are split in a third of the time.
    """
    if text.startswith("นาย") and ROLE_PATTERN.match(text):
        return None
    dotted = DOTTED_PATTERN.match(text) if "." in text[:5] else None
    if dotted:
        title = dotted.group(1).replace(" ", "")
        return title, DOTTED_GENDER.get(title, ""), text[dotted.end():].lstrip()
    latin = LATIN_PATTERN.match(text) if text[0] in _LATIN_LETTERS else None
    if latin and latin.group(1).lower() in LATIN_HONORIFICS:
        return latin.group(1), LATIN_HONORIFICS[latin.group(1).lower()], text[latin.end():].lstrip()
    for length in _WORD_LENGTHS.get(text[:_PREFIX_LENGTH], ()):
        word = text[:length]
        if len(word) < length or word not in _WORDS:
            continue
        gender, may_glue = _WORDS[word]
        after = text[length:]
        if after.startswith(" "):
            return word, gender, after.lstrip()
        if may_glue and len(after) >= 2 and SYLLABLE_START.match(after) and not ROLE_PATTERN.match(text[len(word):]):
            return word, gender, after
    return None


def compute_phonetic_key(word: str, engine: str = "udom83") -> str:
    """A sound-alike key for one name word: equal keys are blocked together.

    Thai words use pythainlp's Thai soundex (``udom83`` by default: it gives สมชาย and สมชัย,
    ศรีสุข and สรีสุข, วงศ์ and วงค์ one key) [2]_; words in Latin letters use Russell's
    Soundex [3]_. Works offline (no corpus). ``""`` for an empty word.

    Examples
    --------
    >>> compute_phonetic_key("ศรีสุข") == compute_phonetic_key("สรีสุข")
    True
    >>> compute_phonetic_key("Robert"), compute_phonetic_key("Rupert")
    ('R163', 'R163')
    """
    word = word.strip()
    if not word:
        return ""
    if word[0] in _LATIN_LETTERS:
        return compute_russell_soundex(word)
    if engine == "udom83":
        return compute_udom83_code(word)
    return soundex(word, engine=engine)


#: udom83's rewriting patterns [2]_, as ``pythainlp.soundex.udom83`` writes them, in its
#: order, each with the letters it needs (the rewrites insert none of them): รร, ไ or ใ,
#: ำ, and the ์ of silent letters. Most names have none, and a name with a silent letter
#: (ศักดิ์, วงศ์) needs one pattern: pythainlp tries all eleven on every word, 1.2 s of a
#: national run for 46,000 distinct words.
_UDOM83_REWRITES: tuple[tuple[tuple[str, ...], tuple[tuple[re.Pattern, str], ...]], ...] = (
    (("รร",), ((re.compile(r"รร([\u0e40-\u0e44])"), "ัน\\1"),
               (re.compile(f"รร([{thai_consonants}][{thai_consonants}\u0e40-\u0e44])"), "ั\\1"),
               (re.compile(f"รร([{thai_consonants}][\u0e30-\u0e39\u0e48-\u0e4c])"), "ัน\\1"),
               (re.compile(r"รร"), "ัน"))),
    (("ไ", "ใ"), ((re.compile(f"ไ([{thai_consonants}]ย)"), "\\1"),
                 (re.compile(f"[ไใ]([{thai_consonants}])"), "\\1ย"))),
    (("\u0e33",), ((re.compile(r"\u0e33(ม[\u0e30-\u0e39])"), "ม\\1"),
                   (re.compile(r"\u0e33ม"), "ม"),
                   (re.compile(r"\u0e33"), "ม"))),
    (("\u0e4c",), ((re.compile(f"จน์|มณ์|ณฑ์|ทร์|ตร์|[{thai_consonants}]\u0e4c|[{thai_consonants}][\u0e30-\u0e39]\u0e4c"),
                    ""),)),
)
#: Vowel signs and tone marks, which udom83 drops (its last pattern).
_UDOM83_MARKS = re.compile(r"[\u0e30-\u0e4c]")
#: udom83's codes: the first letter as a letter of its sound group, the others as digits.
_UDOM83_FIRST = str.maketrans("กขฃคฅฆงจฉชฌซศษสฎดฏตฐฑฒถทธณนบปผพภฝฟมญยรลฬฤฦวอหฮ",
                              "กขขขขขงจชชชสสสสดดตตททททททนนบปพพพฟฟมยยรรรรรวอฮฮ")
_UDOM83_REST = str.maketrans("มวำกขฃคฅฆงยญณนฎฏดตศษสบปพภผฝฟหอฮจฉชซฌฐฑฒถทธรฤลฦ",
                             "0001111112233344444445555666666777778888889999")


def compute_udom83_code(word: str) -> str:
    """The udom83 code [2]_ of a word: what ``pythainlp.soundex.udom83`` gives, trying
    only the rewriting patterns whose letters the word has (:data:`_UDOM83_REWRITES`).

    Examples
    --------
    >>> compute_udom83_code("สมชาย") == soundex("สมชาย", engine="udom83")
    True
    >>> compute_udom83_code("ศักดิ์") == soundex("ศักดิ์", engine="udom83")
    True
    """
    text = word
    for letters, patterns in _UDOM83_REWRITES:
        for letter in letters:  # a loop: any() over a generator cost a third of the time
            if letter in text:
                for pattern, replacement in patterns:
                    text = pattern.sub(replacement, text)
                break
    text = _UDOM83_MARKS.sub("", text)
    if not text:
        return ""
    return (text[0].translate(_UDOM83_FIRST) + text[1:].translate(_UDOM83_REST) + "000000")[:7]


_SOUNDEX_GROUPS = ("", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r")  # digit = position
_SOUNDEX_CODES = {c: str(digit) for digit, letters in enumerate(_SOUNDEX_GROUPS) for c in letters}


def compute_russell_soundex(word: str) -> str:
    """American Soundex [3]_: first letter and three digits (h and w do not separate codes).

    Examples
    --------
    >>> compute_russell_soundex("Tymczak"), compute_russell_soundex("Ashcraft")
    ('T522', 'A261')
    """
    letters = [c for c in word.lower() if c.isascii() and c.isalpha()]
    if not letters:
        return ""
    digits = []
    previous = _SOUNDEX_CODES.get(letters[0], "")
    for c in letters[1:]:
        code = _SOUNDEX_CODES.get(c, "")
        if code and code != previous:
            digits.append(code)
        if c not in "hw":
            previous = code
    return (letters[0].upper() + "".join(digits) + "000")[:4]
