"""Reference geography: official area codes, names, CODI's province groups and regions.

Thailand's official (DOPA) codes are hierarchical: a tambon code (6 digits) starts with its
district code (4), which starts with its province code (2), so "area A contains area B" is
``B.startswith(A)``. Names and codes come from the ``geothai`` package: GeoThai data,
Pongsakorn Thipayanate (CC BY 4.0), https://github.com/GeoThai/data. CODI's 18 province
groups and 5 regions are in ``analysis/data/province_groups.csv`` (source: seed 001).

:func:`load_gazetteer` builds the indexes once per process; :meth:`Gazetteer.resolve`
turns the province / district / tambon written in a table into codes, and never guesses:
a name that matches nothing, or several places, is reported in ``Place.note``.

References
----------
.. [1] Department of Provincial Administration (DOPA), area codes (รหัสเขตการปกครอง).
.. [2] GeoThai, https://geothai.fasu.dev (data version ``geothai.DATA_VERSION``).
.. [3] Office of the Prime Minister, announcement on the 18 province clusters (2017),
   and CODI's structure by province group (seed 001).
"""

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import geothai

from analysis.ingest.normalise import normalise_text, thai_digits_to_ascii

LEVELS = ("province", "district", "tambon")
CODE_LENGTHS = {"province": 2, "district": 4, "tambon": 6}
_LEVEL_BY_LENGTH = {n: level for level, n in CODE_LENGTHS.items()}

# Words written before a name. Short forms need their dot: without it "อ" is the first
# letter of names such as อ่างทอง. English forms follow the Royal Thai General System.
_PREFIX_TH = re.compile(r"^(?:จังหวัด|จ\.|กิ่งอำเภอ|กิ่ง\s*อ\.|อำเภอ|อ\.|เขต|ตำบล|ต\.|แขวง)\s*")
_PREFIX_EN = re.compile(
    r"^(?:changwat|king\s+amphoe|amphoe|amphur|khet|tambon|khwaeng|"
    r"province\s+of|province|district|sub-?district)\s+"
)
_SUFFIX_EN = re.compile(r"\s+(?:province|district|sub-?district)$")
_MARKS = re.compile(r"[\s.'’\-ฯ]")

# Short names people write for a province instead of the official one, in _key form
# (so กรุงเทพฯ is กรุงเทพ).
_PROVINCE_ALIASES = {
    "กทม": "10", "กรุงเทพ": "10", "krungthep": "10",
    "อยุธยา": "14", "ayutthaya": "14", "โคราช": "30", "korat": "30",
}
# "อ.เมือง" is the capital district of the province, always code XX01; Bangkok has none.
_CAPITAL_DISTRICT_KEYS = ("เมือง", "mueang")
# An ambiguity note names this many candidates: enough to see the pattern, short enough
# for one cell of quarantine.csv (หนองบัว alone names 28 tambons).
_N_AMBIGUOUS_SHOWN = 5


def _key(text: str) -> str:
    """A name in comparison form: lower case, without blanks, dots, hyphens, apostrophes, ฯ."""
    key = _MARKS.sub("", text.lower())
    return re.sub(r"^muang", "mueang", key)  # older English spelling of เมือง


def _query_keys(text: str) -> list[str]:
    """Comparison keys of a written name (already normalised): as written, then without
    a level word.

    The name as written is tried first because some official names begin with what looks
    like a level word (tambon จ.ป.ร., the Bangkok districts "เขต…").
    """
    text = text.lower()
    stripped = _SUFFIX_EN.sub("", _PREFIX_EN.sub("", _PREFIX_TH.sub("", text)))
    keys = [_key(text), _key(stripped)]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


def _index_keys(name: str) -> set[str]:
    """Keys an official name is found under: itself, each form of a name with another in
    brackets ("ปอภาร (ปอพาน)"), and without a leading level word (Bangkok's districts are
    officially "เขตบางรัก" and written "บางรัก")."""
    keys = {_key(name)} | {_key(part) for part in re.split(r"[()]", name) if part.strip()}
    prefix = _PREFIX_TH.match(name)
    if prefix and not prefix.group().rstrip().endswith("."):
        keys.add(_key(name[prefix.end():]))
    return keys


def _as_code(text: str) -> str | None:
    """The digits of a written code (Thai digits or an Excel float like ``50.0`` too)."""
    text = thai_digits_to_ascii(text).strip()
    text = re.sub(r"\.0+$", "", text)
    return text if re.fullmatch(r"\d{2}|\d{4}|\d{6}", text) else None


def _checked_lang(lang: str) -> str:
    if lang not in ("th", "en"):
        raise ValueError(f"lang must be 'th' or 'en', not {lang!r}")
    return lang


@dataclass(frozen=True)
class Place:
    """Where a row works, as official codes.

    Attributes
    ----------
    province_code, district_code, tambon_code : str or None
        The codes known at each level (2, 4 and 6 digits).
    is_known : bool
        True when every level given was matched to exactly one area.
    note : str
        What was not matched or why it is ambiguous; '' when all is fine.
    """

    province_code: str | None = None
    district_code: str | None = None
    tambon_code: str | None = None
    is_known: bool = False
    note: str = ""

    @property
    def area_code(self) -> str | None:
        """The finest code known, or None."""
        return self.tambon_code or self.district_code or self.province_code

    @property
    def level(self) -> str | None:
        """'tambon', 'district', 'province' or None: the level of :attr:`area_code`."""
        code = self.area_code
        return _LEVEL_BY_LENGTH[len(code)] if code else None


@dataclass(frozen=True)
class _Area:
    code: str
    name_th: str
    name_en: str


class Gazetteer:
    """Official areas with indexes by code and by normalised name.

    Build it with :func:`load_gazetteer` (cached). Methods taking a code raise KeyError
    for a code that is not an official area.

    Examples
    --------
    >>> gazetteer = load_gazetteer()
    >>> gazetteer.name("840503"), gazetteer.name("840503", lang="en")
    ('เกาะเต่า', 'Ko Tao')
    >>> gazetteer.parent("840503"), gazetteer.level("8405")
    ('8405', 'district')
    >>> gazetteer.province_group("840503"), gazetteer.region("84", lang="en")
    ('กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย', 'South')
    """

    def __init__(self, areas: list[_Area], groups: dict[str, dict[str, str]]):
        self._areas = {a.code: a for a in areas}
        self._groups = groups
        self._children: dict[str, list[str]] = {}
        self._by_key: dict[str, dict[str, set[str]]] = {level: {} for level in LEVELS}
        for a in sorted(areas, key=lambda a: a.code):
            level = _LEVEL_BY_LENGTH[len(a.code)]
            if level != "province":
                self._children.setdefault(a.code[: len(a.code) - 2], []).append(a.code)
            for name in (a.name_th, a.name_en):
                for key in _index_keys(name):
                    self._by_key[level].setdefault(key, set()).add(a.code)
        for key, code in _PROVINCE_ALIASES.items():
            self._by_key["province"].setdefault(key, set()).add(code)
        # A dataset repeats a few thousand place spellings over many rows: remember them.
        # 2**16 holds every tambon (7,436) in several spellings.
        self._resolve_texts = lru_cache(maxsize=2**16)(self._resolve_texts)
        capitals = {c for c in self.codes("district") if c.endswith("01") and c[:2] != "10"}
        for key in _CAPITAL_DISTRICT_KEYS:
            self._by_key["district"].setdefault(key, set()).update(capitals)

    # ------------------------------------------------------------ look-ups by code

    def codes(self, level: str) -> list[str]:
        """Every official code of a level ('province', 'district' or 'tambon'), sorted."""
        n = CODE_LENGTHS[level]
        return sorted(c for c in self._areas if len(c) == n)

    def _area(self, code: str) -> _Area:
        try:
            return self._areas[code]
        except (KeyError, TypeError):
            raise KeyError(f"{code!r} is not an official area code") from None

    def name(self, code: str, lang: str = "th") -> str:
        """The official name of an area in Thai (``lang='th'``) or English (``'en'``)."""
        area = self._area(code)
        return area.name_th if _checked_lang(lang) == "th" else area.name_en

    def level(self, code: str) -> str:
        """'province', 'district' or 'tambon'."""
        return _LEVEL_BY_LENGTH[len(self._area(code).code)]

    def parent(self, code: str) -> str | None:
        """The code of the area one level up, None for a province."""
        self._area(code)
        return code[:-2] if len(code) > 2 else None

    def _group_row(self, code: str) -> dict[str, str]:
        return self._groups[self._area(code).code[:2]]

    def province_group(self, code: str, lang: str = "th") -> str:
        """Name of CODI's province group (กลุ่มจังหวัด) of the area's province."""
        return self._group_row(code)[f"group_{_checked_lang(lang)}"]

    def province_group_en(self, code: str) -> str:
        """English name of CODI's province group of the area's province."""
        return self.province_group(code, lang="en")

    def province_group_id(self, code: str) -> int:
        """Number (1–18) of CODI's province group, in the order of seed 001."""
        return int(self._group_row(code)["group_id"])

    def group_provinces(self) -> dict[str, list[str]]:
        """Each of CODI's 18 province groups (Thai name) → its province codes, by group number.

        Examples
        --------
        >>> groups = load_gazetteer().group_provinces()
        >>> len(groups), groups["กลุ่มจังหวัดภาคใต้ฝั่งอ่าวไทย"]
        (18, ['80', '84', '86', '90', '93'])
        """
        rows = sorted(self._groups.values(), key=lambda row: (int(row["group_id"]), row["province_code"]))
        groups: dict[str, list[str]] = {}
        for row in rows:
            groups.setdefault(row["group_th"], []).append(row["province_code"])
        return groups

    def region(self, code: str, lang: str = "th") -> str:
        """CODI's region (ภาค) of the area's province: one of 5."""
        return self._group_row(code)[f"region_{_checked_lang(lang)}"]

    def districts_in(self, code: str) -> list[str]:
        """District codes inside an area (a district contains itself; a tambon none)."""
        self._area(code)
        if len(code) == 2:
            return list(self._children.get(code, []))
        return [code] if len(code) == 4 else []

    def tambons_in(self, code: str) -> list[str]:
        """Tambon codes inside an area (a tambon contains itself)."""
        self._area(code)
        if len(code) == 6:
            return [code]
        return [t for d in self.districts_in(code) for t in self._children.get(d, [])]

    def contains(self, outer: str, inner: str) -> bool:
        """True when area ``inner`` lies in (or is) area ``outer``; False for unknown codes."""
        known = outer in self._areas and inner in self._areas
        return known and inner.startswith(outer)

    # ------------------------------------------------------------ resolving written places

    def _candidates(self, level: str, text: str | None) -> tuple[set[str] | None, str]:
        """Codes a normalised text may mean at one level (None when not given), and a note."""
        if text is None:
            return None, ""
        code = _as_code(text)
        if code is not None:
            if len(code) == CODE_LENGTHS[level] and code in self._areas:
                return {code}, ""
            return set(), f"{level} code {text!r} is not an official {level} code"
        for key in _query_keys(text):
            if key in self._by_key[level]:
                return set(self._by_key[level][key]), ""
        return set(), f"{level} {text!r} not found"

    def find_candidates(self, level: str, text: str, within: str = "") -> list[str]:
        """Every official code a written name may mean at ``level``, inside the area
        ``within`` (a code; '' for the whole country), sorted. For a name that stays
        ambiguous, so that a comparison can still use each of its candidates.

        Examples
        --------
        >>> load_gazetteer().find_candidates("tambon", "ต.ตาหลังใน", within="27")
        ['270403']
        """
        candidates, _ = self._candidates(level, normalise_text(text))
        return sorted(c for c in candidates or () if c.startswith(within))

    def resolve(self, province=None, district=None, tambon=None) -> Place:
        """Turn a written province, district and tambon into official codes.

        Each argument is a Thai or English name, with or without a level word (ต./ตำบล/
        แขวง, อ./อำเภอ/เขต, จ./จังหวัด, Tambon/Amphoe/Changwat/District/Province), in
        any case or spacing, or an official code of that level (Thai digits too).
        ``อ.เมือง`` / ``Mueang`` means the province's capital district.

        A name shared by several areas is narrowed by the levels given above it (and a
        district by the tambon given below it). A level that matches nothing, contradicts
        the level above, or stays ambiguous is left unknown (None) and said in ``note``;
        the levels above it that are certain are kept. Never raises, never guesses.

        Returns
        -------
        Place
            ``is_known`` is True when every level given was matched to exactly one area.
            Nothing given gives an empty Place with ``is_known`` False and no note.

        Examples
        --------
        >>> gazetteer = load_gazetteer()
        >>> gazetteer.resolve("จ.สระแก้ว", "อ.วังน้ำเย็น", "ต.ตาหลังใน").tambon_code
        '270403'
        >>> p = gazetteer.resolve(province="Sa Kaeo", tambon="ต.ไม่มีจริง")
        >>> p.area_code, p.is_known, p.note
        ('27', False, "tambon 'ต.ไม่มีจริง' not found")
        """
        return self._resolve_texts(*(normalise_text(v) for v in (province, district, tambon)))

    def _resolve_texts(
        self, province: str | None, district: str | None, tambon: str | None
    ) -> Place:
        given = dict(zip(LEVELS, (province, district, tambon)))
        notes: list[str] = []
        sets: dict[str, set[str]] = {}
        for level in LEVELS:
            candidates, note = self._candidates(level, given[level])
            if note:
                notes.append(note)
            if candidates:
                sets[level] = self._narrow_by_coarser(level, candidates, sets, given, notes)
        return self._place_from(sets, notes, given)

    @staticmethod
    def _narrow_by_coarser(
        level: str, candidates: set[str], sets: dict, given: dict, notes: list[str]
    ) -> set[str]:
        """Keep the candidates inside the coarser levels already matched."""
        for coarser in LEVELS[: LEVELS.index(level)]:
            if not sets.get(coarser):
                continue
            inside = {c for c in candidates if c[: CODE_LENGTHS[coarser]] in sets[coarser]}
            if not inside:
                notes.append(f"{level} {given[level]!r} is not in {coarser} {given[coarser]!r}")
                return set()
            candidates = inside
        return candidates

    def _place_from(self, sets: dict[str, set[str]], notes: list[str], given: dict) -> Place:
        matched = [level for level in LEVELS if sets.get(level)]
        if not matched:
            return Place(is_known=False, note="; ".join(notes))
        finest = sets[matched[-1]]
        if len(finest) > 1:
            shown = sorted(finest)[:_N_AMBIGUOUS_SHOWN]
            names = ", ".join(f"{c} {self.name(c)}" for c in shown)
            more = ", …" if len(finest) > len(shown) else ""
            level = matched[-1]
            n_areas = len(finest)
            notes.append(f"{level} {given[level]!r} is ambiguous ({n_areas} areas: {names}{more})")
        codes = {}
        for level in LEVELS[: LEVELS.index(matched[-1]) + 1]:
            prefixes = {c[: CODE_LENGTHS[level]] for c in finest}
            codes[f"{level}_code"] = prefixes.pop() if len(prefixes) == 1 else None
        return Place(**codes, is_known=not notes, note="; ".join(notes))


def _read_province_groups() -> dict[str, dict[str, str]]:
    """province_code -> its row of ``data/province_groups.csv`` (comment lines skipped)."""
    text = files("analysis").joinpath("data/province_groups.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {row["province_code"]: row for row in csv.DictReader(lines)}


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of all 77 provinces, 928 districts and 7,436 tambons (built once)."""
    areas = []
    for p in geothai.provinces():
        areas.append(_Area(p.code, p.name_th, p.name_en))
        for d in geothai.districts(p.code):
            areas.append(_Area(d.code, d.name_th, d.name_en))
            areas.extend(_Area(t.code, t.name_th, t.name_en) for t in geothai.subdistricts(d.code))
    return Gazetteer(areas, _read_province_groups())
