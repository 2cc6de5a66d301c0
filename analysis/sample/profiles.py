"""Data profiles: the same sample written the way other offices write their rosters.

A resolver tuned on one dataset can fail on the next (issue 14: recall 0.62–0.79 on
rosters made independently of this project). A :class:`Profile` rewrites a sample's
``people`` table to another profile — more lines without a place or a phone, more slips in
names, more kinds of titles, more namesakes, more spouses sharing a phone — and keeps the
truth exact: slips and titles do not change who a line is; namesakes and spouses are
different persons made to look alike, so they test precision.

Every change is drawn from its own generator seeded with (seed, step), so a profile is the
same bytes run after run and two profiles differ only where their parameters do.
:data:`PROFILES` is the sweep ``benchmarks/bench_resolve.py`` runs.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.resolve.names import split_name
from analysis.sample.spelling import misspell

#: Titles real rosters use (issue 14), without gender: they may go on anyone's line.
NEUTRAL_TITLES = ("คุณ", "คุณ ", "ผู้ใหญ่", "ผญบ.", "กำนัน", "อาจารย์", "อ.", "ผศ.", "รศ.", "ศ.", "ดร.",
                  "อาจารย์ ดร.", "ผศ.ดร.", "ว่าที่ ร.ต.", "ร.ต.อ.", "พ.ต.ท.", "จ.ส.อ.", "ส.อ.บ.ต.")
#: Titles that tell gender, by the gender of the line's own title.
GENDERED_TITLES = {"m": ("นาย", "นาย ", "Mr.", "Mr. ", "นพ.", "ด.ช."),
                   "f": ("นาง", "นางสาว", "น.ส.", "Mrs.", "Ms.", "Miss ", "พญ.")}


@dataclass(frozen=True)
class Profile:
    """How a sample's people table is rewritten; every share is of lines unless said.

    Attributes
    ----------
    name : a short label for reports.
    no_place : lines whose province, district and tambon are all left out.
    province_only : further lines that keep only their province.
    no_district : further lines that keep province and tambon but not the district (an
        ambiguous tambon name stays unresolved).
    no_roster_place : share of the lines left without a place (``no_place``) whose roster's
        organisation is not given either (``org_id`` left out): in the generated sample a
        line's place is its organisation's, which the resolver reads when a line gives none.
        The line stays on its list (``source``), whose other lines may name the organisation.
    no_phone : lines with no phone in the end (lines already without one count).
    first_slips, surname_slips : lines with one more slip in the first name / surname.
    titles : lines whose title is replaced by another one real rosters use.
    namesakes : persons given the full name of another person elsewhere.
    spouses : persons given the surname and phone of another person of their tambon.
    """

    name: str
    no_place: float = 0.0
    province_only: float = 0.0
    no_district: float = 0.0
    no_roster_place: float = 0.0
    no_phone: float = 0.0
    first_slips: float = 0.0
    surname_slips: float = 0.0
    titles: float = 0.0
    namesakes: float = 0.0
    spouses: float = 0.0


#: The profiles of the benchmark sweep (issue 14: no place 0–70 %, no phone 30–95 %,
#: slips, title variety, namesakes, spouses sharing a phone).
PROFILES = (
    Profile("as generated"),
    Profile("no place on 35 %", no_place=0.35, province_only=0.15, no_district=0.2),
    Profile("no place on 70 %", no_place=0.70, province_only=0.1, no_district=0.2),
    Profile("no phone on 95 %", no_phone=0.95),
    Profile("slips x3", first_slips=0.06, surname_slips=0.06),
    Profile("many titles", titles=0.6),
    Profile("namesakes and spouses", namesakes=0.03, spouses=0.03),
    Profile("everything", no_place=0.5, province_only=0.1, no_district=0.2, no_phone=0.8, first_slips=0.04,
            surname_slips=0.04, titles=0.5, namesakes=0.02, spouses=0.02),
    Profile("everything, no roster's place", no_place=0.5, province_only=0.1, no_district=0.2,
            no_roster_place=1.0, no_phone=0.8, first_slips=0.04, surname_slips=0.04, titles=0.5,
            namesakes=0.02, spouses=0.02),
)

PLACE_COLUMNS = ("province", "district", "tambon")


def apply_profile(people: pd.DataFrame, persons: pd.DataFrame, profile: Profile, seed: int) -> pd.DataFrame:
    """The people table rewritten to ``profile``; ``persons`` is the truth (record_id,
    true_person_id), which stays true.

    Examples
    --------
    >>> people = pd.DataFrame({"record_id": ["a", "b"], "name": ["นายสมชาย ใจดี", "สมชาย ใจดี"],
    ...     "phone": ["0811111111", ""], "province": ["สระแก้ว", ""], "district": ["", ""],
    ...     "tambon": ["", ""]})
    >>> truth = pd.DataFrame({"record_id": ["a", "b"], "true_person_id": ["H1", "H1"]})
    >>> apply_profile(people, truth, Profile("x", no_phone=1.0), seed=1)["phone"].tolist()
    ['', '']
    """
    out = people.copy()
    person = out["record_id"].map(persons.drop_duplicates("record_id").set_index("record_id")["true_person_id"])
    rng = {step: np.random.default_rng([seed, 14, n]) for n, step in enumerate(
        ("place", "phone", "first", "surname", "titles", "namesakes", "spouses"))}
    _drop_places(out, profile, rng["place"])
    _drop_phones(out, profile.no_phone, rng["phone"])
    _plant_look_alikes(out, person, profile, rng)
    _plant_spouses(out, person, profile.spouses, rng["spouses"])
    _plant_namesakes(out, person, profile.namesakes, rng["namesakes"])
    _vary_titles(out, profile.titles, rng["titles"])
    return out


def _drop_places(out: pd.DataFrame, profile: Profile, rng: np.random.Generator) -> None:
    draw = rng.random(len(out))
    none = draw < profile.no_place
    province_only = ~none & (draw < profile.no_place + profile.province_only)
    no_district = ~none & ~province_only & (draw < profile.no_place + profile.province_only + profile.no_district)
    for column in PLACE_COLUMNS:
        out.loc[none, column] = ""
    if profile.no_roster_place and "org_id" in out:
        out.loc[none & (rng.random(len(out)) < profile.no_roster_place), "org_id"] = ""
    out.loc[province_only, ["district", "tambon"]] = ""
    out.loc[no_district, "district"] = ""


def _drop_phones(out: pd.DataFrame, share: float, rng: np.random.Generator) -> None:
    has_phone = (out["phone"] != "").to_numpy()
    already = 1 - has_phone.mean() if len(out) else 0.0
    rate = 0.0 if share <= already else (share - already) / max(1 - already, 1e-9)
    out.loc[has_phone & (rng.random(len(out)) < rate), "phone"] = ""


def _rebuild(parts, first: str, last: str) -> str:
    title = " ".join(parts.honorifics)
    return f"{title} {first} {last}".strip() if title else f"{first} {last}".strip()


def _plant_look_alikes(out: pd.DataFrame, person: pd.Series, profile: Profile, rng: dict) -> None:
    """One more slip (a look-alike letter, else a dropped letter) in a first name / surname."""
    for part, share in (("first", profile.first_slips), ("surname", profile.surname_slips)):
        mask = rng[part].random(len(out)) < share
        if not mask.any():
            continue
        parts = [split_name(n) for n in out.loc[mask, "name"]]
        words = pd.Series([p.first if part == "first" else p.last for p in parts])
        slipped = misspell(words, rng[part], np.ones(len(words), dtype=bool), "look_alike")
        unchanged = (slipped == words).to_numpy()
        slipped = misspell(slipped, rng[part], unchanged, "drop_letter")
        out.loc[mask, "name"] = [
            _rebuild(p, s, p.last) if part == "first" else _rebuild(p, p.first, s) for p, s in zip(parts, slipped)
        ]


def _people_of(person: pd.Series) -> np.ndarray:
    return np.array(sorted(set(person.dropna().astype(str))), dtype=object)


def _plant_spouses(out: pd.DataFrame, person: pd.Series, share: float, rng: np.random.Generator) -> None:
    """A person takes the surname and the phone of another person whose first line is in the
    same tambon (a spouse): two people, one surname, one house phone, one tambon."""
    if share <= 0:
        return
    first_lines = out.assign(person=person).dropna(subset=["person"]).drop_duplicates("person")
    first_lines = first_lines[(first_lines["tambon"] != "") & (first_lines["phone"] != "")]
    by_tambon = first_lines.groupby("tambon")["person"].agg(sorted)
    chosen = rng.random(len(by_tambon)) < share * 2
    for people in by_tambon[chosen]:
        if len(people) < 2:
            continue
        a, b = people[0], people[1]
        line_a = first_lines[first_lines["person"] == a].iloc[0]
        surname, phone = split_name(line_a["name"]).last, line_a["phone"]
        rows = (person == b).to_numpy()
        out.loc[rows, "name"] = [_rebuild(p, p.first, surname) for p in map(split_name, out.loc[rows, "name"])]
        out.loc[rows & (out["phone"] != "").to_numpy(), "phone"] = phone


def _plant_namesakes(out: pd.DataFrame, person: pd.Series, share: float, rng: np.random.Generator) -> None:
    """A person takes the full name of another person (in pairs drawn at random): two
    people, one name, nothing else in common but chance."""
    if share <= 0:
        return
    people = _people_of(person)
    chosen = people[rng.random(len(people)) < share * 2]
    chosen = rng.permutation(chosen)
    for a, b in zip(chosen[0::2], chosen[1::2]):
        name_a = split_name(out.loc[(person == a).to_numpy(), "name"].iloc[0])
        rows = (person == b).to_numpy()
        out.loc[rows, "name"] = [_rebuild(p, name_a.first, name_a.last) for p in map(split_name, out.loc[rows, "name"])]


def _vary_titles(out: pd.DataFrame, share: float, rng: np.random.Generator) -> None:
    """Another title in front of the name: a neutral one, or one of the line's own gender."""
    mask = rng.random(len(out)) < share
    if not mask.any():
        return
    picks = rng.random(int(mask.sum()))
    names = []
    for name, pick in zip(out.loc[mask, "name"], picks):
        parts = split_name(name)
        titles = NEUTRAL_TITLES + GENDERED_TITLES.get(parts.gender, ())
        title = titles[int(pick * len(titles))]
        names.append(f"{title}{parts.full}")
    out.loc[mask, "name"] = names
