"""Writing true values the way Thai office spreadsheets hold them.

Every function takes the true values, a numpy ``Generator`` and ``noise`` and returns
strings. A variation is applied to a row when a uniform draw falls below
``rate * noise``; the draws do not depend on ``noise``, so the variations at noise 1 are a
subset of those at noise 2 and a benchmark sees a monotone quality curve. ``noise = 0``
writes every value in one canonical form.

The rates are assumptions, not measurements: they make honorifics, phone formats and date
forms vary on a large share of rows (they vary most in the field: seeds 002–004 write
``ธ.ก.ส.``/``ธกส.`` and ``26ก.พ.50`` in one page) and true misspellings rare (a few in a
hundred), so that a name matcher has real work at noise 1 and a hard time at noise 2.
"""

import numpy as np
import pandas as pd

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
BE_OFFSET = 543  # Buddhist Era year = CE year + 543

#: Letters typed for one another (look-alike shapes or sounds on the Kedmanee layout).
LOOK_ALIKES = (("ด", "ต"), ("ต", "ด"), ("บ", "ป"), ("ป", "บ"), ("ข", "ช"), ("ช", "ข"),
               ("ศ", "ส"), ("ส", "ศ"), ("ณ", "น"), ("ร", "ล"))

#: Rates of each variation at noise 1 (see the module docstring for why).
RATES = {
    "honorific": 0.35,   # another way of writing the title, or none
    "look_alike": 0.03,  # one letter typed as its look-alike
    "drop_letter": 0.02,
    "tone_order": 0.05,  # tone mark typed before the upper vowel
    "tone_double": 0.03,
    "sara_am": 0.30,     # ำ typed as ํ + า (common with old keyboards and PDF copies)
    "zero_width": 0.04,
    "nbsp": 0.05,
    "extra_space": 0.05,
    "phone_format": 0.45,
    "phone_missing": 0.25,
    "date_format": 0.65,
    "amount_format": 0.5,
    "place_format": 0.4,
}


def draw_mask(rng: np.random.Generator, n: int, rate: float, noise: float) -> np.ndarray:
    """Rows that get a variation: uniform draw below ``rate * noise`` (draws independent of noise)."""
    return rng.random(n) < rate * noise


def misspell(text: pd.Series, rng: np.random.Generator, mask: np.ndarray, how: str) -> pd.Series:
    """Misspell the masked rows: ``how`` is ``look_alike`` (one letter swapped) or ``drop_letter``.

    Examples
    --------
    >>> s = pd.Series(["ใจดี", "บุญมา"])
    >>> misspell(s, np.random.default_rng(0), np.array([True, True]), "drop_letter").str.len().tolist()
    [3, 4]
    """
    out = text.copy()
    rows = np.flatnonzero(mask)
    if how == "look_alike":
        # Try the pairs in a random order per row: the first letter present is swapped once.
        order = rng.permuted(np.tile(np.arange(len(LOOK_ALIKES)), (len(rows), 1)), axis=1)
        values = np.array(out, dtype=object)
        for i, row in enumerate(rows):
            for k in order[i]:
                a, b = LOOK_ALIKES[k]
                if a in values[row]:
                    values[row] = values[row].replace(a, b, 1)
                    break
        return pd.Series(values, index=text.index, dtype=object)
    positions = rng.random(len(rows))
    values = np.array(out, dtype=object)
    for i, row in enumerate(rows):
        word = values[row]
        consonants = [j for j, ch in enumerate(word) if "ก" <= ch <= "ฮ" and j > 0]
        if consonants:
            j = consonants[int(positions[i] * len(consonants))]
            values[row] = word[:j] + word[j + 1:]
    return pd.Series(values, index=text.index, dtype=object)


def render_names(lines: pd.DataFrame, rng: np.random.Generator, noise: float) -> pd.Series:
    """Names as written on a roster line, honorifics and all.

    Parameters
    ----------
    lines : one row per roster line with ``honorific`` (นาย/นาง/นางสาว), ``given``,
        ``surname``, ``office`` (กำนัน, ผู้ใหญ่บ้าน or ''), ``academic`` (อ., ดร. or '').
    """
    n = len(lines)
    given = misspell(lines["given"], rng, draw_mask(rng, n, RATES["look_alike"], noise), "look_alike")
    surname = misspell(lines["surname"], rng, draw_mask(rng, n, RATES["look_alike"], noise), "look_alike")
    surname = misspell(surname, rng, draw_mask(rng, n, RATES["drop_letter"], noise), "drop_letter")
    hon = lines["honorific"].astype(object)
    title = np.where(lines["academic"] != "", lines["academic"], hon)
    body = given + " " + surname
    variants = {
        "canonical": title + body,
        "spaced": title + " " + body,
        "none": body,
        "abbreviated": hon.map({"นางสาว": "น.ส.", "นาง": "นาง ", "นาย": "นาย "}) + body,
        "abbreviated_nodot": hon.map({"นางสาว": "นส.", "นาง": "นาง", "นาย": "นาย"}) + body,
        "office": np.where(lines["office"] == "ผู้ใหญ่บ้าน", "ผญบ.", lines["office"]) + body,
        "office_full": lines["office"] + " " + body,
        "english": hon.map({"นางสาว": "Ms.", "นาง": "Mrs.", "นาย": "Mr."}) + body,
    }
    choice = rng.integers(1, len(variants), n)
    choice[~draw_mask(rng, n, RATES["honorific"], noise)] = 0
    # An office title only where the person holds the office.
    no_office = (lines["office"] == "").to_numpy()
    choice[no_office & np.isin(choice, (5, 6))] = 1
    stacked = np.column_stack([np.asarray(v, dtype=object) for v in variants.values()])
    names = pd.Series(stacked[np.arange(n), choice], index=lines.index, dtype=object)
    return add_typing_noise(names, rng, noise)


def add_typing_noise(text: pd.Series, rng: np.random.Generator, noise: float) -> pd.Series:
    """Typing variants that Thai normalisation must undo (tone order, ํา, invisible spaces).

    Examples
    --------
    >>> add_typing_noise(pd.Series(["คำดี"]), np.random.default_rng(0), 0.0).tolist()
    ['คำดี']
    """
    n = len(text)
    out = text.astype(object)
    edits = [
        ("tone_order", lambda s: s.str.replace(r"([\u0e31\u0e34-\u0e37])([\u0e48-\u0e4b])", r"\2\1", n=1, regex=True)),
        ("tone_double", lambda s: s.str.replace(r"([\u0e48-\u0e4b])", r"\1\1", n=1, regex=True)),
        ("sara_am", lambda s: s.str.replace("\u0e33", "\u0e4d\u0e32", regex=False)),
        ("zero_width", lambda s: s.str[:2] + "\u200b" + s.str[2:]),
        ("nbsp", lambda s: s.str.replace(" ", "\u00a0", n=1, regex=False)),
        ("extra_space", lambda s: s.str.replace(" ", "  ", n=1, regex=False) + " "),
    ]
    for rate_name, edit in edits:
        mask = draw_mask(rng, n, RATES[rate_name], noise)
        if mask.any():
            out[mask] = edit(out[mask].astype(object))
    return out.astype(object)


def render_phones(phones: pd.Series, rng: np.random.Generator, noise: float) -> pd.Series:
    """Phones ('0812345678' or '') in the formats people type; some left out.

    Examples
    --------
    >>> render_phones(pd.Series(["0812345678", ""]), np.random.default_rng(0), 0.0).tolist()
    ['0812345678', '']
    """
    n = len(phones)
    p = phones.astype(object)
    variants = [
        p,
        p.str[:3] + "-" + p.str[3:6] + "-" + p.str[6:],
        p.str[:3] + " " + p.str[3:6] + " " + p.str[6:],
        "+66 " + p.str[1:3] + " " + p.str[3:6] + " " + p.str[6:],
        "+66" + p.str[1:],
        (p.str[:3] + "-" + p.str[3:6] + "-" + p.str[6:]).str.translate(THAI_DIGITS),
    ]
    choice = rng.integers(1, len(variants), n)
    choice[~draw_mask(rng, n, RATES["phone_format"], noise)] = 0
    stacked = np.column_stack([v.to_numpy(dtype=object) for v in variants])
    out = pd.Series(stacked[np.arange(n), choice], index=phones.index, dtype=object)
    out[(phones == "").to_numpy() | draw_mask(rng, n, RATES["phone_missing"], noise)] = ""
    return out


def render_dates(dates: pd.Series, rng: np.random.Generator, noise: float) -> pd.Series:
    """Dates in the forms CONTRACT §1 accepts: ISO, BE d/m/Y, BE ISO, Thai months, Thai digits.

    Examples
    --------
    >>> render_dates(pd.Series(pd.to_datetime(["2024-10-01"])), np.random.default_rng(0), 0.0).tolist()
    ['2024-10-01']
    """
    n = len(dates)
    d = pd.to_datetime(dates)
    day, month, year = d.dt.day.astype(str), d.dt.month, d.dt.year
    be = (year + BE_OFFSET).astype(str)
    mm, dd = month.astype(str).str.zfill(2), day.str.zfill(2)
    abbr = month.map(lambda m: MONTHS_ABBR[m - 1]).astype(object)
    full = month.map(lambda m: MONTHS_FULL[m - 1]).astype(object)
    variants = [
        d.dt.strftime("%Y-%m-%d").astype(object),
        dd + "/" + mm + "/" + be,
        be + "-" + mm + "-" + dd,
        day + " " + abbr + " " + be,
        (day + " " + full + " " + be).str.translate(THAI_DIGITS),
        day + " " + abbr + " " + be.str[2:],
        dd + "/" + mm + "/" + year.astype(str),
    ]
    choice = rng.integers(1, len(variants), n)
    choice[~draw_mask(rng, n, RATES["date_format"], noise)] = 0
    stacked = np.column_stack([np.asarray(v, dtype=object) for v in variants])
    out = pd.Series(stacked[np.arange(n), choice], index=dates.index, dtype=object)
    out[d.isna().to_numpy()] = ""
    return out


def render_amounts(amounts: pd.Series, rng: np.random.Generator, noise: float) -> pd.Series:
    """Whole-baht amounts as typed: ``250000``, ``250,000``, ``250,000 บาท``, Thai digits.

    Examples
    --------
    >>> render_amounts(pd.Series([250000.0]), np.random.default_rng(0), 0.0).tolist()
    ['250000']
    """
    n = len(amounts)
    whole = amounts.round().astype("int64")
    plain = whole.astype(str).astype(object)
    commas = whole.map("{:,}".format).astype(object)
    variants = [plain, commas, commas + " บาท", plain + ".00", commas.str.translate(THAI_DIGITS)]
    choice = rng.integers(1, len(variants), n)
    choice[~draw_mask(rng, n, RATES["amount_format"], noise)] = 0
    stacked = np.column_stack([v.to_numpy(dtype=object) for v in variants])
    return pd.Series(stacked[np.arange(n), choice], index=amounts.index, dtype=object)


def render_places(places: pd.DataFrame, rng: np.random.Generator, noise: float) -> pd.DataFrame:
    """Province, district and tambon columns as written: bare Thai names, with ต./อ./จ.,
    spelled-out prefixes, English names or official codes.

    Parameters
    ----------
    places : columns ``<level>_th``, ``<level>_en``, ``<level>_code`` for level in
        province, district, tambon ('' where the level is not known).
    """
    n = len(places)
    prefixes = {"province": ("จ.", "จังหวัด"), "district": ("อ.", "อำเภอ"), "tambon": ("ต.", "ตำบล")}
    out = {}
    choice = rng.integers(1, 5, n)  # one style per row: offices fill a whole row the same way
    choice[~draw_mask(rng, n, RATES["place_format"], noise)] = 0
    for level, (short, long) in prefixes.items():
        th = places[f"{level}_th"].astype(object)
        variants = [th, short + th, long + th, places[f"{level}_en"].astype(object),
                    places[f"{level}_code"].astype(object)]
        stacked = np.column_stack([v.to_numpy(dtype=object) for v in variants])
        column = pd.Series(stacked[np.arange(n), choice], index=places.index, dtype=object)
        column[(th == "").to_numpy()] = ""
        out[level] = column
    return pd.DataFrame(out, index=places.index)
