"""Integration advice: plain-language recommendations drawn from the analysis tables.

Seed 002 asks agencies to stop "each opening its own work front" and to hand the baton on;
seed 004 asks for care "organised by function and area". Each rule below turns one table into
action points, every one naming the table and rows it comes from and the numbers it uses.
The rules are fixed (no generative model), so the same tables give the same advice.

====================  =====================================================  ================
topic                 rule                                                   impact counts
====================  =====================================================  ================
giver_receiver        a person on both sides of one payment (hats.csv,        payments
                      ``is_giver_receiver``): separate the two roles
duplicates            a duplicate group (duplicate_projects.csv): coordinate  projects
                      or merge its projects under the suggested host
funding_alignment     streams of two or more funders paying for one aim       projects and
                      (aims taxonomy) in one area (funding_streams.csv)       organisations paid
platform              a district where agencies pile up (pile_ups.csv):       agencies
                      a common platform (พื้นที่กลาง) convened by the best-
                      ranked bridge among them (bridges.csv)
conveners             the strongest bridges of each province (or of the      organisations
                      whole network when bridges.csv has no places)           linked (degree)
many_hats             a person serving :data:`MANY_HATS` or more agencies     agencies
                      (hats.csv): share the load, declare interests
concentration         a person through whom half or more of a tambon's        projects
                      projects pass (concentration.csv): plan a successor
gaps                  a category of work missing from some tambons of a       tambons
                      district (gaps.csv): extend it
====================  =====================================================  ================

**Order (expected impact).** Expected impact is judged first by the kind of action, in the
order of the table: a conflict of interest or a duplicate means money already spent twice or
approved by its own receiver (seed 002's "one person, two camps" and "stepping on each
other's toes"), so stopping it comes first; aligning streams and convening a platform
prevent the next duplicates; sharing a person's load and filling gaps reach further but
save less today. Within a topic, points are ordered by ``impact``, the number of projects,
payments, agencies, organisations or tambons the action touches (``impact_unit`` says
which), largest first, then by the evidence text. Within a topic at most
:data:`MAX_PER_TOPIC` points are listed one by one; one further point counts the rest and
says where to find them.

**One page first.** :func:`summarise_recommendations` picks the most consequential point of
each kind (the first of its topic) and counts the rest of that kind; recommendations.md and
the report open with that page (:func:`render_recommendations_md`), then give every point,
kind by kind.
"""

import collections
import itertools
import math
import numbers

import pandas as pd

from analysis.aims import build_aim_matrix, load_aims

#: ``n_of_kind``: the points the topic's rule found, listed or counted in its last point.
REC_COLUMNS = ["rank", "topic", "text_en", "text_th", "evidence", "impact", "impact_unit", "n_of_kind"]

TOPICS = ("giver_receiver", "duplicates", "funding_alignment", "platform", "conveners", "many_hats",
          "concentration", "gaps")
#: What ``impact`` counts, per topic.
IMPACT_UNITS = {
    "giver_receiver": "payments", "duplicates": "projects", "funding_alignment": "projects and organisations paid",
    "platform": "agencies", "conveners": "organisations linked", "many_hats": "agencies",
    "concentration": "projects", "gaps": "tambons", "strengthen": "people in the lists",
}
TOPIC_LABELS = {
    "giver_receiver": ("Giver and receiver", "เป็นทั้งผู้ให้และผู้รับ"),
    "duplicates": ("Duplicate projects", "โครงการซ้ำซ้อน"),
    "funding_alignment": ("Funding streams to align", "สายเงินทุนที่ควรประสานกัน"),
    "platform": ("Common platform where agencies pile up", "พื้นที่กลางในที่ที่หน่วยงานทับซ้อน"),
    "conveners": ("Who can convene a common platform", "องค์กรที่เป็นเจ้าภาพพื้นที่กลางได้"),
    "many_hats": ("Many hats", "สวมหมวกหลายใบ"),
    "concentration": ("Work resting on one person", "งานที่ฝากไว้กับคนคนเดียว"),
    "gaps": ("Gaps to fill", "ช่องว่างที่ควรเติม"),
    "strengthen": ("Tambons to strengthen, and who can mentor them", "ตำบลที่ควรเสริมความเข้มแข็ง และพี่เลี้ยง"),
}

#: A person serving three or more agencies is flagged. Two agencies is what a community
#: link person ordinarily does (their council and one agency's project); from three on the
#: person is where several agencies' work meets, the "one person, two camps" of seed 002,
#: and the same three used for pile-ups (:data:`analysis.coverage.MIN_AGENCIES`).
MANY_HATS = 3

#: Points listed one by one per topic: about the number of action points one meeting can
#: assign owners to; the others are counted in one point naming the table that lists them.
MAX_PER_TOPIC = 10

#: Characters of a point's text the one-page summary shows, per language: eight kinds, in Thai
#: and English, of at most 300 characters fill about one A4 page; the full text follows in
#: the details.
SUMMARY_TEXT = 300

#: Conveners proposed per province (or for the whole network): three give a forum a choice
#: without diluting the proposal.
N_CONVENERS = 3


def _rows(df: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """The table, or an empty one, with every named column present (optional ones as "")."""
    df = pd.DataFrame(columns=columns) if df is None else df.copy()
    for column in columns:
        if column not in df.columns:
            df[column] = ""
    return df


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _number(value) -> float:
    # already a number: no Series per cell (national: 10 s); float and int (and numpy's
    # float64) before the abstract class, whose check runs in Python
    if isinstance(value, (float, int)) or isinstance(value, numbers.Real):
        return 0.0 if math.isnan(value) else float(value)
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return 0.0 if pd.isna(number) else float(number)


def _runs(df: pd.DataFrame, keys: list[str]):
    """(key values, rows) of each group of ``df``, which is sorted by ``keys``; rows are named
    tuples in table order (:func:`_tuples`). Rows with a missing key are left out, as pandas' groupby does.

    One pass over plain tuples: a pandas group per key costs ~100 µs, and national tables
    have tens of thousands of keys.
    """
    df = df.dropna(subset=keys)
    columns = [df.columns.get_loc(key) for key in keys]
    for key, run in itertools.groupby(_tuples(df), key=lambda row: tuple(row[c] for c in columns)):
        yield key, list(run)


def _tuples(df: pd.DataFrame):
    """The rows of ``df`` as named tuples, as ``df.itertuples(index=False)`` gives them, but
    made from each column's ``tolist()``: itertuples steps through a text column one Python
    call per cell (pandas 3), a third of the advice's time nationally."""
    Row = collections.namedtuple("Row", map(str, df.columns), rename=True)
    return map(Row._make, zip(*(df.iloc[:, i].tolist() for i in range(df.shape[1]))))


def _thb(amount: float) -> str:
    return f"{amount:,.0f}"


def _rec(topic: str, text_en: str, text_th: str, evidence: str, impact: float) -> dict:
    return {"topic": topic, "text_en": text_en, "text_th": text_th, "evidence": evidence, "impact": int(impact),
            "impact_unit": IMPACT_UNITS[topic]}


def advise_givers_receivers(hats: pd.DataFrame | None) -> list[dict]:
    """One point per person on both sides of a payment (hats.csv)."""
    hats = _rows(hats, ["person_id", "person_name", "is_giver_receiver", "giver_receiver_detail"])
    flagged = hats[hats["is_giver_receiver"].astype(str).str.lower().isin(["true", "1"])]
    recs = []
    for person in _tuples(flagged):
        payments = [p for p in _text(person.giver_receiver_detail).split("|") if p]
        detail = "; ".join(payments)
        recs.append(_rec(
            "giver_receiver",
            f"{person.person_name} is on both the giving and the receiving side of {len(payments)} payment(s): "
            f"{detail}. Separate the roles: someone else should approve or receive, and the interest be declared.",
            f"{person.person_name} อยู่ทั้งฝ่ายผู้ให้และผู้รับเงิน {len(payments)} รายการ: {detail} "
            f"ควรแยกบทบาท ให้ผู้อื่นเป็นผู้อนุมัติหรือผู้รับ และเปิดเผยส่วนได้เสีย",
            f"hats.csv person_id={person.person_id} (is_giver_receiver)",
            len(payments)))
    return recs


def advise_duplicates(duplicates: pd.DataFrame | None, aims: pd.DataFrame | None = None) -> list[dict]:
    """One point per duplicate group: coordinate or merge under the suggested host. The
    English text names each aim by its English label from the aims taxonomy."""
    aims = load_aims() if aims is None else aims
    english = dict(zip(aims["label_th"], aims["label_en"]))
    duplicates = _rows(duplicates, ["group_id", "project_id", "title", "tambon", "funder", "aim",
                                    "suggested_host_id", "suggested_host"])
    recs = []
    for (group_id,), group in _runs(duplicates.sort_values("group_id", kind="stable"), ["group_id"]):
        ids = sorted(str(r.project_id) for r in group)
        titles = "; ".join(f"{r.project_id} {r.title}" for r in sorted(group, key=lambda r: r.project_id))
        places = ", ".join(sorted({_text(r.tambon) for r in group} - {""}))
        funders = sorted({f for r in group for f in _text(r.funder).split("|") if f})
        aim = ", ".join(sorted({a for r in group for a in _text(r.aim).split("|") if a}))
        aim_en = ", ".join(f"{english[a]} ({a})" if a in english else a for a in aim.split(", ") if a)
        host, host_id = _text(group[0].suggested_host), _text(group[0].suggested_host_id)
        under_en = f" under {host} ({host_id}), the organisation most present there" if host else ""
        under_th = f" โดยให้ {host} ({host_id}) ซึ่งมีบทบาทมากที่สุดในพื้นที่เป็นเจ้าภาพ" if host else ""
        by = f" funded by {len(funders)} funder(s): {', '.join(funders)}" if funders else ""
        by_th = f" จากแหล่งทุน {len(funders)} แห่ง: {', '.join(funders)}" if funders else ""
        recs.append(_rec(
            "duplicates",
            f"Coordinate or merge the {len(ids)} projects of group {group_id} in {places or 'one area'}"
            f"{f' (aim: {aim_en})' if aim else ''}{by}{under_en}: {titles}.",
            f"ประสานหรือรวม {len(ids)} โครงการของกลุ่ม {group_id} ใน {places or 'พื้นที่เดียวกัน'}"
            f"{f' (เป้าหมาย: {aim})' if aim else ''}{by_th}{under_th}: {titles}",
            f"duplicate_projects.csv group_id={group_id} (project_id {', '.join(ids)})",
            len(ids)))
    return recs


def find_stream_aims(streams: pd.DataFrame, aims: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (funding stream row, aim its name pursues): the aims taxonomy applied to
    ``stream`` (:func:`analysis.aims.build_aim_matrix`, dictionary-based content analysis)."""
    aims = load_aims() if aims is None else aims
    named = streams[streams["stream"].fillna("").astype(str) != ""]
    if named.empty:
        return named.assign(aim_id=pd.Series(dtype=str))
    matrix = build_aim_matrix(named["stream"].astype(str), aims)
    long = matrix.stack()
    long = long[long]
    pairs = pd.DataFrame({"index": long.index.get_level_values(0), "aim_id": long.index.get_level_values(1)})
    return named.loc[pairs["index"]].assign(aim_id=pairs["aim_id"].to_numpy()).reset_index(drop=True)


def advise_funding_alignment(streams: pd.DataFrame | None, aims: pd.DataFrame | None = None) -> list[dict]:
    """One point per (area, aim) paid by streams of two or more funders (funding_streams.csv)."""
    streams = _rows(streams, ["area", "area_name", "funder_id", "funder", "stream", "n_projects",
                              "n_organisations", "amount_thb"])
    streams = streams[streams["area"].fillna("").astype(str) != ""]
    aims = load_aims() if aims is None else aims
    labels = dict(zip(aims["aim_id"], zip(aims["label_en"], aims["label_th"])))
    tagged = find_stream_aims(streams, aims)
    # Only (area, aim) pairs paid by two or more funders make a point: keep them before the
    # loop, which would otherwise visit every one of ~100,000 pairs at national scale.
    n_funders = tagged.assign(funder_id=tagged["funder_id"].astype(str)).groupby(["area", "aim_id"])["funder_id"]
    tagged = tagged[n_funders.transform("nunique") >= 2]
    # One stable sort for all groups: each group then lists its streams by funder and stream.
    tagged = tagged.sort_values(["area", "aim_id", "funder_id", "stream"], kind="stable")
    recs = []
    for (area, aim_id), group in _runs(tagged, ["area", "aim_id"]):
        funders = sorted({str(row.funder_id) for row in group})
        amounts = [_number(row.amount_thb) for row in group]
        parts = [f"{_text(row.funder) or row.funder_id} – {row.stream}" + (f" ({_thb(amount)} THB)" if amount else "")
                 for row, amount in zip(group, amounts)]
        total = sum(amounts)
        n_paid = int(sum(_number(row.n_projects) for row in group) + sum(_number(row.n_organisations) for row in group))
        name = _text(group[0].area_name)
        label_en, label_th = labels[aim_id]
        recs.append(_rec(
            "funding_alignment",
            f"{len(funders)} funders pay for {label_en} in {name} ({area}), {_thb(total)} THB in all: "
            f"{'; '.join(parts)}. Align these streams: one plan, one report, shared targets.",
            f"แหล่งทุน {len(funders)} แห่งจ่ายเพื่อ{label_th}ใน {name} ({area}) รวม {_thb(total)} บาท: "
            f"{'; '.join(parts)} ควรประสานสายเงินเหล่านี้ให้เป็นแผนเดียว รายงานเดียว เป้าหมายร่วม",
            f"funding_streams.csv area={area}, funder_id {', '.join(funders)} (aim {aim_id})",
            n_paid))
    return recs


def _best_bridge(ranked: tuple[list[tuple], dict[str, int]], org_ids: set[str]) -> tuple | None:
    """The best-ranked bridge among ``org_ids`` as (org_id, name, rank, betweenness)
    (``ranked`` from :func:`_rank_bridges`)."""
    table, position = ranked
    found = [position[org_id] for org_id in org_ids if org_id in position]
    return table[min(found)] if found else None


def _rank_bridges(bridges: pd.DataFrame) -> tuple[list[tuple], dict[str, int]]:
    """Bridges sorted by rank and org_id, as (org_id, name, rank, betweenness) tuples, and
    org_id -> its first row there.

    Built once, so that each district's best bridge is a dict look-up, not a scan of
    60,000 organisations per district.
    """
    table = bridges.sort_values(["rank", "org_id"], kind="stable").reset_index(drop=True)
    table = list(zip(*(table[c].tolist() for c in ("org_id", "name", "rank", "betweenness"))))
    position: dict[str, int] = {}
    for i, (org_id, *_) in enumerate(table):
        position.setdefault(str(org_id), i)
    return table, position


def _orgs_by_place_prefix(bridges: pd.DataFrame, lengths: set[int]) -> dict[str, set[str]]:
    """place prefix -> org_ids whose (non-empty) place starts with it, for prefixes of the
    given lengths: ``place.startswith(code)`` for every district at once."""
    found: dict[str, set[str]] = {}
    for place, org_id in zip(bridges["place"], bridges["org_id"].astype(str)):
        for n in lengths:
            if place and len(place) >= n:
                found.setdefault(place[:n], set()).add(org_id)
    return found


def _bridge_place(bridges: pd.DataFrame) -> pd.Series:
    """Each bridge's area code when bridges.csv carries one (``area_code``), else ""."""
    if "area_code" in bridges.columns:
        return bridges["area_code"].fillna("").astype(str)
    return pd.Series("", index=bridges.index)


def advise_platforms(pile_ups: pd.DataFrame | None, bridges: pd.DataFrame | None,
                     coverage: pd.DataFrame | None = None) -> list[dict]:
    """One point per district with pile-ups: a common platform, convened by the best-ranked
    bridge among the agencies piled up there or the organisations placed in the district.
    District names come from the district rows of ``coverage`` (codes alone when absent)."""
    pile_ups = _rows(pile_ups, ["area", "area_name", "category", "n_agencies", "agencies", "agency_ids"])
    bridges = _rows(bridges, ["org_id", "name", "rank", "betweenness"])
    bridges = bridges.assign(rank=pd.to_numeric(bridges["rank"], errors="coerce"), place=_bridge_place(bridges))
    recs = []
    pile_ups = pile_ups.assign(district=pile_ups["area"].astype(str).str[:4])
    coverage = _rows(coverage, ["area", "area_level", "area_name"])
    names = dict(coverage.loc[coverage["area_level"] == "district", ["area", "area_name"]].astype(str).values)
    ranked = _rank_bridges(bridges)
    placed = _orgs_by_place_prefix(bridges, {len(d) for d in pile_ups["district"]})
    for (district,), group in _runs(pile_ups.sort_values("district", kind="stable"), ["district"]):
        district_en = f"{names[district]} ({district})" if names.get(district) else district
        district_th = f"{names[district]} ({district})" if names.get(district) else f" {district}"
        agency_ids = {a for r in group for a in _text(r.agency_ids).split("|") if a}
        agencies = sorted({a for r in group for a in _text(r.agencies).split("|") if a})
        best = _best_bridge(ranked, agency_ids | placed.get(district, set()))
        where = "; ".join(f"{_text(r.area_name)} ({r.area}) {r.category}: {int(_number(r.n_agencies))}"
                          for r in group)
        convene_en = convene_th = ""
        evidence = f"pile_ups.csv area {', '.join(sorted({str(r.area) for r in group}))}"
        if best is not None:
            org_id, name, rank, betweenness = best
            convene_en = (f" {name} ({org_id}, bridge rank {int(rank)}, betweenness "
                          f"{_number(betweenness):.3f}) is best placed to convene it.")
            convene_th = (f" {name} ({org_id} อันดับองค์กรเชื่อมประสาน {int(rank)}) "
                          f"เหมาะเป็นผู้ประสานจัดพื้นที่กลาง")
            evidence += f"; bridges.csv org_id={org_id}"
        recs.append(_rec(
            "platform",
            f"In district {district_en}, {len(agencies)} agencies pile up, several on one line of work in one tambon "
            f"(tambon, line of work: agencies): "
            f"{where}. Set up a common platform (พื้นที่กลาง) to plan together: {', '.join(agencies)}.{convene_en}",
            f"ในอำเภอ{district_th} มีหน่วยงาน {len(agencies)} แห่งทำงานซ้อนกัน หลายแห่งทำงานเรื่องเดียวกันในตำบลเดียว "
            f"(ตำบล ประเภทงาน: จำนวนหน่วยงาน): "
            f"{where} ควรตั้งพื้นที่กลางวางแผนร่วมกัน: {', '.join(agencies)}{convene_th}",
            evidence, len(agencies)))
    return recs


def advise_conveners(bridges: pd.DataFrame | None, n: int = N_CONVENERS) -> list[dict]:
    """The ``n`` strongest bridges (betweenness > 0) of each province, or of the whole
    network when bridges.csv has no places: organisations able to convene a common platform."""
    bridges = _rows(bridges, ["org_id", "name", "rank", "betweenness", "degree", "is_articulation_point", "reason_th",
                              "reason"])
    bridges = bridges.assign(rank=pd.to_numeric(bridges["rank"], errors="coerce"),
                             betweenness=pd.to_numeric(bridges["betweenness"], errors="coerce"),
                             province=_bridge_place(bridges).str[:2])
    bridges = bridges[bridges["betweenness"] > 0].sort_values(["province", "rank", "org_id"], kind="stable")
    recs = []
    for province, group in bridges.groupby("province", sort=True):
        where_en = f" in province {province}" if province else ""
        where_th = f"ในจังหวัด {province}" if province else "ในเครือข่ายทั้งหมด"
        for bridge in _tuples(group.head(n)):
            # The reason (bridges.csv) already says when the network splits without it.
            recs.append(_rec(
                "conveners",
                f"{bridge.name} (bridge rank {int(bridge.rank)}{where_en}, betweenness {bridge.betweenness:.3f}, "
                f"linked to {int(_number(bridge.degree))} organisations) could convene a common platform. "
                f"{_text(bridge.reason)}",
                f"{bridge.name} (อันดับองค์กรเชื่อมประสาน {int(bridge.rank)} {where_th} เชื่อมกับ "
                f"{int(_number(bridge.degree))} องค์กร) เป็นเจ้าภาพพื้นที่กลางได้ {_text(bridge.reason_th)}",
                f"bridges.csv org_id={bridge.org_id} (rank {int(bridge.rank)})",
                _number(bridge.degree)))
    return recs


def advise_many_hats(hats: pd.DataFrame | None, threshold: int = MANY_HATS) -> list[dict]:
    """One point per person serving ``threshold`` or more agencies (:data:`MANY_HATS`)."""
    hats = _rows(hats, ["person_id", "person_name", "n_agencies", "agencies", "roles"])
    hats = hats.assign(n_agencies=pd.to_numeric(hats["n_agencies"], errors="coerce").fillna(0).astype(int))
    many = hats[hats["n_agencies"] >= threshold].sort_values(["n_agencies", "person_id"], ascending=[False, True],
                                                             kind="stable")
    recs = []
    for person in _tuples(many):
        agencies = ", ".join(a for a in _text(person.agencies).split("|") if a)
        roles = ", ".join(r for r in _text(person.roles).split("|") if r)
        recs.append(_rec(
            "many_hats",
            f"{person.person_name} serves {person.n_agencies} agencies ({agencies}){f' as {roles}' if roles else ''}. "
            f"Share the load with others and ask each agency to declare where roles could conflict.",
            f"{person.person_name} ทำงานให้ {person.n_agencies} หน่วยงาน ({agencies}){f' ในบทบาท {roles}' if roles else ''} "
            f"ควรกระจายภาระให้ผู้อื่น และให้แต่ละหน่วยงานระบุบทบาทที่อาจขัดกัน",
            f"hats.csv person_id={person.person_id} (n_agencies={person.n_agencies} ≥ {threshold})",
            person.n_agencies))
    return recs


def advise_concentration(concentration: pd.DataFrame | None) -> list[dict]:
    """One point per (tambon, person) holding half or more of the tambon's projects."""
    table = _rows(concentration, ["tambon_code", "tambon", "person_id", "person_name", "n_projects",
                                  "n_tambon_projects", "share"])
    recs = []
    for row in _tuples(table):
        n, total, share = int(_number(row.n_projects)), int(_number(row.n_tambon_projects)), _number(row.share)
        recs.append(_rec(
            "concentration",
            f"{n} of the {total} projects of {row.tambon} ({row.tambon_code}) pass through {row.person_name} "
            f"({share:.0%}). Bring in a second person for each and plan a successor.",
            f"โครงการ {n} จาก {total} โครงการของตำบล{row.tambon} ({row.tambon_code}) ผ่าน {row.person_name} "
            f"({share:.0%}) ควรเพิ่มผู้ร่วมรับผิดชอบและวางตัวผู้สืบทอด",
            f"concentration.csv tambon_code={row.tambon_code}, person_id={row.person_id}",
            n))
    return recs


def advise_gaps(gaps: pd.DataFrame | None) -> list[dict]:
    """One point per (district, category) with tambons lacking that category (gaps.csv)."""
    gaps = _rows(gaps, ["district", "district_name", "tambon", "tambon_name", "category", "n_tambons_with",
                        "agencies_in_district"])
    recs = []
    for (district, category), group in _runs(gaps.sort_values(["district", "category"], kind="stable"),
                                             ["district", "category"]):
        tambons = ", ".join(f"{_text(r.tambon_name)} ({r.tambon})" for r in sorted(group, key=lambda r: r.tambon))
        name = _text(group[0].district_name)
        n_with = int(_number(group[0].n_tambons_with))
        agencies = ", ".join(a for a in _text(group[0].agencies_in_district).split("|") if a)
        who_en = f" {agencies} already work on it in the district and could extend it." if agencies else ""
        who_th = f" {agencies} ทำงานนี้ในอำเภออยู่แล้วและขยายงานได้" if agencies else ""
        label = category or "(no category)"
        recs.append(_rec(
            "gaps",
            f"Work on {label} reaches {n_with} tambon(s) of district {name} ({district}) but not {len(group)}: "
            f"{tambons}.{who_en}",
            f"งานด้าน{category or '(ไม่ระบุประเภท)'}มีใน {n_with} ตำบลของอำเภอ{name} ({district}) แต่ยังไม่มีใน "
            f"{len(group)} ตำบล: {tambons}{who_th}",
            f"gaps.csv district={district}, category={label}",
            len(group)))
    return recs


def _cap(topic: str, recs: list[dict], limit: int, source: str) -> list[dict]:
    """The ``limit`` highest-impact points of a topic, and one point counting the rest."""
    recs = sorted(recs, key=lambda r: (-r["impact"], r["evidence"]))
    if len(recs) <= limit:
        return recs
    rest = recs[limit:]
    label_en, label_th = TOPIC_LABELS[topic]
    summary = _rec(
        topic,
        f"{len(rest)} more points of the same kind ({label_en.lower()}) are not listed here: see {source}.",
        f"ยังมีอีก {len(rest)} ประเด็นในหัวข้อเดียวกัน ({label_th}) ที่ไม่ได้แสดงที่นี่ ดูใน {source}",
        f"{source} ({len(rest)} more)",
        max(r["impact"] for r in rest))
    return recs[:limit] + [summary]


def compute_recommendations(tables: dict[str, pd.DataFrame], *, many_hats: int = MANY_HATS,
                            max_per_topic: int = MAX_PER_TOPIC) -> pd.DataFrame:
    """recommendations: integration advice from the output tables (rules in the module docstring).

    Parameters
    ----------
    tables : file stem → table (``hats``, ``duplicate_projects``, ``funding_streams``,
        ``pile_ups``, ``bridges``, ``concentration``, ``gaps``); missing tables and optional
        columns give no points.
    many_hats : the number of agencies from which a person is flagged (:data:`MANY_HATS`).
    max_per_topic : points listed one by one per topic (:data:`MAX_PER_TOPIC`).

    Returns
    -------
    pd.DataFrame with rank, topic, text_en, text_th, evidence (table and ids), impact;
    impact_unit (what impact counts); n_of_kind (points of the topic found); rank 1 first.

    Examples
    --------
    >>> hats = pd.DataFrame({"person_id": ["P-1"], "person_name": ["นางสมศรี"], "n_agencies": [3],
    ...                      "agencies": ["พอช.|สสส.|อบต."], "roles": ["ประธาน"], "is_giver_receiver": [False],
    ...                      "giver_receiver_detail": [""]})
    >>> recs = compute_recommendations({"hats": hats})
    >>> recs[["rank", "topic", "impact"]].to_dict("records")
    [{'rank': 1, 'topic': 'many_hats', 'impact': 3}]
    >>> recs.loc[0, "evidence"]
    'hats.csv person_id=P-1 (n_agencies=3 ≥ 3)'

    """
    sources = {
        "giver_receiver": (advise_givers_receivers(tables.get("hats")), "hats.csv (is_giver_receiver)"),
        "duplicates": (advise_duplicates(tables.get("duplicate_projects")), "duplicate_projects.csv"),
        "funding_alignment": (advise_funding_alignment(tables.get("funding_streams")), "funding_streams.csv"),
        "platform": (advise_platforms(tables.get("pile_ups"), tables.get("bridges"), tables.get("coverage")),
                     "pile_ups.csv"),
        "conveners": (advise_conveners(tables.get("bridges")), "bridges.csv"),
        "many_hats": (advise_many_hats(tables.get("hats"), many_hats), f"hats.csv (n_agencies ≥ {many_hats})"),
        "concentration": (advise_concentration(tables.get("concentration")), "concentration.csv"),
        "gaps": (advise_gaps(tables.get("gaps")), "gaps.csv"),
    }
    recs = [{**rec, "n_of_kind": len(found)} for topic, (found, source) in sources.items()
            for rec in _cap(topic, found, max_per_topic, source)]
    if not recs:
        return pd.DataFrame(columns=REC_COLUMNS)
    # sources are in topic order and _cap sorts each topic: the list is already ranked
    table = pd.DataFrame(recs)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table[REC_COLUMNS].reset_index(drop=True)


def summarise_recommendations(recs: pd.DataFrame) -> pd.DataFrame:
    """The one-page summary: the most consequential point of each kind (the best-ranked of its
    topic), in rank order, with ``n_rest``, the other points of that kind.

    Examples
    --------
    >>> recs = pd.DataFrame({"rank": [1, 2, 3], "topic": ["duplicates", "duplicates", "gaps"], "n_of_kind": [14, 14, 1]})
    >>> summarise_recommendations(recs)[["rank", "topic", "n_rest"]].values.tolist()
    [[1, 'duplicates', 13], [3, 'gaps', 0]]
    """
    first = recs.sort_values("rank", kind="stable").drop_duplicates("topic")
    return first.assign(n_rest=first["n_of_kind"] - 1).reset_index(drop=True)


def shorten_text(text: object, limit: int = SUMMARY_TEXT) -> str:
    """``text`` in about ``limit`` characters: its opening (what was found) and its close (what
    to do), the middle (the lists of names and projects) left out as "…", cut at spaces
    (Thai marks phrases with spaces).

    Examples
    --------
    >>> shorten_text("นาย ก ทำงานให้ 7 หน่วยงาน (พอช., สสส., อบต.ก, อบต.ข, ธกส.) ควรกระจายภาระ", 40)
    'นาย ก ทำงานให้ 7 … ควรกระจายภาระ'
    """
    text = _text(text)
    if len(text) <= limit:
        return text
    head = text[: limit * 11 // 20]
    tail = text[-(limit * 9 // 20):]
    head = head.rsplit(" ", 1)[0] if " " in head else head
    tail = tail.split(" ", 1)[1] if " " in tail else tail
    return f"{head.rstrip(' :;,')} … {tail.lstrip()}"


def _md(text: object) -> str:
    """Text safe inside a Markdown list item: no raw HTML, no line breaks, no link: square
    brackets are escaped (CommonMark 0.31, §2.4), so ``[x](javascript:…)`` typed in a name
    shows as typed instead of becoming a link.

    Examples
    --------
    >>> print(_md("[x](javascript:alert(1)) <b>"))
    \\[x\\](javascript:alert(1)) &lt;b&gt;
    """
    text = _text(text).replace("\r", " ").replace("\n", " ").replace("\\", "\\\\")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_recommendations_md(recs: pd.DataFrame, period: str | None = None) -> str:
    """recommendations.md: one page first (the most consequential point of each kind, its
    evidence and the count of the rest), then every point kind by kind; Thai and English.

    Examples
    --------
    >>> print(render_recommendations_md(pd.DataFrame(columns=REC_COLUMNS), "2026Q3").splitlines()[0])
    # ข้อเสนอการบูรณาการ / Integration advice — 2026Q3
    """
    title = "# ข้อเสนอการบูรณาการ / Integration advice" + (f" — {_md(period)}" if period else "")
    method = ["ข้อเสนอแต่ละข้อมาจากกฎที่กำหนดไว้ (ไม่ได้ใช้โมเดลสร้างข้อความ) พร้อมหลักฐานว่ามาจากตารางและแถวใด "
              "เรียงตามผลที่คาดว่าจะเกิด: ผลประโยชน์ทับซ้อนและโครงการซ้ำซ้อนก่อน แล้วจึงสายเงินทุน พื้นที่กลาง "
              "การสวมหมวกหลายใบ งานที่ฝากไว้กับคนเดียว และช่องว่าง ในแต่ละหัวข้อเรียงตามจำนวนโครงการ หน่วยงาน "
              "องค์กร หรือตำบลที่ได้รับผล มากที่สุดก่อน",
              "",
              "Each point comes from a fixed rule (no generative model) and names the table and rows behind it. "
              "Points are ordered by expected impact: conflicts of interest and duplicates first, then funding streams "
              "to align, common platforms, many hats, concentration and gaps; within each, by the number of projects, "
              "payments, agencies, organisations or tambons the action touches (rules: analysis/advise.py, "
              "docs/review_guide.md).",
              ""]
    if recs.empty:
        return "\n".join([title, "", *method, "ไม่มีข้อเสนอจากข้อมูลชุดนี้ / The tables give no point to act on.", ""])
    lines = [title, "", "## หน้าเดียว: เรื่องสำคัญที่สุดของแต่ละหัวข้อ / One page: the most consequential point of each kind", "",
             f"{len(recs)} ข้อใน {recs['topic'].nunique()} หัวข้อ รายละเอียดทุกข้ออยู่ถัดจากหน้านี้ / "
             f"{len(recs)} points of {recs['topic'].nunique()} kinds; every point in full follows this page.", ""]
    for n, rec in enumerate(_tuples(summarise_recommendations(recs)), start=1):
        label_en, label_th = TOPIC_LABELS.get(rec.topic, (rec.topic, rec.topic))
        rest = (f"อีก {rec.n_rest} ข้อในหัวข้อนี้ / {rec.n_rest} more of this kind" if rec.n_rest
                else "ข้อเดียวในหัวข้อนี้ / the only one of its kind")
        lines += [f"{n}. **{label_th} / {label_en}** (ข้อ / point {rec.rank}; {rest})",
                  f"   - {_md(shorten_text(rec.text_th))}",
                  f"   - {_md(shorten_text(rec.text_en))}",
                  f"   - หลักฐาน / evidence: {_md(rec.evidence)}"]
    lines += ["", "## รายละเอียดตามหัวข้อ / Details by kind", "", *method]
    for topic, group in recs.groupby("topic", sort=False):
        label_en, label_th = TOPIC_LABELS.get(topic, (topic, topic))
        lines += [f"### {label_th} / {label_en}", ""]
        for rec in _tuples(group):
            lines += [f"#### {rec.rank}. {label_th} / {label_en}", "",
                      f"- **ไทย:** {_md(rec.text_th)}",
                      f"- **English:** {_md(rec.text_en)}",
                      f"- **หลักฐาน / Evidence:** {_md(rec.evidence)}",
                      f"- **ผลที่คาด / Impact:** {rec.impact} {_md(getattr(rec, 'impact_unit', ''))}", ""]
    return "\n".join(lines)


#: Mentors named per C tambon: two give the team a choice and a fallback.
N_MENTORS = 2


#: How near a mentor is, nearest first: (code digits shared, English, Thai). A province group
#: holds its provinces, a province its districts, so each step widens the search.
NEARNESS = ((4, "same district", "อำเภอเดียวกัน"), (2, "same province", "จังหวัดเดียวกัน"),
            (0, "same province group", "กลุ่มจังหวัดเดียวกัน"))


def _find_mentors(weak, grade_a: pd.DataFrame, reach: dict[str, int], n: int = N_MENTORS) -> list[tuple]:
    """The A tambons of the C tambon ``weak``'s province group (of its province when the
    grades carry no group) that can best mentor it, as (row, nearness index, shared bridge
    org_id or "") tuples.

    Order: those sharing a bridging organisation with it first (bridge_org_ids of
    grades.csv: an organisation at work in both can carry the visits and the know-how), then
    the nearest (district, province, group), then the more local shared bridge, then the best
    score, then by code. The shared bridge named is the most local one both list (at work in
    the fewest tambons, ``reach``; then the best rank): a national funder at work in every
    tambon joins them all and says least about these two.
    """
    own = [b for b in str(weak.bridge_org_ids).split("|") if b]
    if weak.province_group:
        near = grade_a[grade_a["province_group"] == weak.province_group]
    else:
        near = grade_a[grade_a["area"].str[:2] == weak.area[:2]]
    ranked = []
    for m in _tuples(near):
        theirs = set(str(m.bridge_org_ids).split("|"))
        shared = min((b for b in own if b in theirs), key=lambda b: reach.get(b, 0), default="")
        nearness = next(i for i, (digits, _, _) in enumerate(NEARNESS) if m.area[:digits] == weak.area[:digits])
        locality = reach.get(shared, 0) if shared else 0
        ranked.append(((shared == "", nearness, locality, -m.s, m.area), m, nearness, shared))
    ranked.sort(key=lambda item: item[0])
    return [(m, nearness, shared) for _, m, nearness, shared in ranked[:n]]


def _describe_mentor(m, nearness: int, shared: str, bridges: dict) -> tuple[str, str, str]:
    """(English, Thai, evidence) for one mentor: where it is and the bridge it shares."""
    _, where_en, where_th = NEARNESS[nearness]
    en, th, evidence = f"{_text(m.area_name)} ({m.area}), {where_en}", f"{_text(m.area_name)} ({m.area}) {where_th}", where_en
    if shared:
        name, rank = bridges.get(shared, (shared, ""))
        en += f", sharing the bridging organisation {_text(name)} (bridges.csv rank {rank})"
        th += f" มีองค์กรเชื่อมประสาน{_text(name)}ร่วมกัน (อันดับ {rank} ใน bridges.csv)"
        evidence += f", bridge {shared}"
    return en, th, f"{m.area} (A, {evidence})"


def advise_strengthening(grades: pd.DataFrame | None, bridges: pd.DataFrame | None = None,
                         max_points: int = MAX_PER_TOPIC) -> pd.DataFrame:
    """The C tambons where strengthening reaches most people, each with A tambons nearby to mentor it.

    Seed 004 asks teams "to go and strengthen the communities that are still weak" (grade C,
    grades.csv); the issue asks for A tambons "nearby whose organisations could mentor them
    (same district or province group, shared bridges)". Points are ordered by ``n_people``
    (persons the lists place in the tambon), then score (lowest first), then code; the
    mentors (:func:`_find_mentors`) are A tambons of the same province group, those sharing a
    bridging organisation with it first, then the nearest, each with the reason it was
    chosen (the most local bridge they share). ``bridges`` (bridges.csv) names the shared organisation and its rank. At most
    ``max_points`` points, and one counting the rest.

    Returns a table with the columns of :func:`compute_recommendations` (rank from 1, topic
    ``strengthen``), to be appended after its points (:func:`append_recommendations`).

    Examples
    --------
    >>> grades = pd.DataFrame({"area": ["270101", "270102", "270103"], "area_name": ["ก", "ข", "ค"],
    ...                        "grade": ["C", "A", "B"], "score": [20.0, 80.0, 55.0], "n_people": [40, 30, 10],
    ...                        "reason": ["grade C; not found in the lists: active welfare fund", "", ""],
    ...                        "reason_th": ["", "", ""]})
    >>> advise_strengthening(grades).loc[0, ["topic", "evidence", "impact"]].to_dict()
    {'topic': 'strengthen', 'evidence': 'grades.csv area=270101 (grade C, score 20, n_people 40); mentors 270102 (A, same district)', 'impact': 40}
    """
    grades = _rows(grades, ["area", "area_name", "grade", "score", "n_people", "reason", "reason_th",
                            "province_group", "bridge_org_ids"])
    grades["province_group"] = grades["province_group"].map(_text)
    grades["bridge_org_ids"] = grades["bridge_org_ids"].map(_text)
    weak = grades[grades["grade"] == "C"].assign(n=grades["n_people"].map(_number), s=grades["score"].map(_number))
    weak = weak.sort_values(["n", "s", "area"], ascending=[False, True, True], kind="stable")
    grade_a = grades[grades["grade"] == "A"].assign(s=grades["score"].map(_number))
    bridges = _rows(bridges, ["org_id", "name", "rank"])
    bridge_names = {o: (name, rank)
                    for o, name, rank in zip(*(bridges[c].tolist() for c in ("org_id", "name", "rank")))}
    recs = []
    reach: dict[str, int] = {}  # tambons each bridging organisation is at work in
    for ids in grades["bridge_org_ids"]:
        for org_id in filter(None, ids.split("|")):
            reach[org_id] = reach.get(org_id, 0) + 1
    for row in _tuples(weak.head(max_points)):
        mentors = [_describe_mentor(m, nearness, shared, bridge_names)
                   for m, nearness, shared in _find_mentors(row, grade_a, reach)]
        help_en = (f" A tambons nearby can mentor it: {'; '.join(en for en, _, _ in mentors)}." if mentors
                   else " No A tambon in its province group: ask the province group's team.")
        help_th = (f" ตำบลกลุ่ม A ใกล้เคียงที่เป็นพี่เลี้ยงได้: {'; '.join(th for _, th, _ in mentors)}" if mentors
                   else " ไม่มีตำบลกลุ่ม A ในกลุ่มจังหวัดเดียวกัน: ให้ทีมกลุ่มจังหวัดช่วย")
        lacks = _text(row.reason).split("not found in the lists: ")[-1] if "not found" in _text(row.reason) else ""
        text_en = (f"Strengthen {_text(row.area_name)} ({row.area}), graded C with {int(row.n)} people in the lists"
                   + (f"; the lists show no {lacks}" if lacks else "") + "." + help_en)
        text_th = (f"เสริมความเข้มแข็งตำบล{_text(row.area_name)} ({row.area}) กลุ่ม C มีคนในรายชื่อ {int(row.n)} คน"
                   + help_th)
        evidence = (f"grades.csv area={row.area} (grade C, score {_thb(row.s)}, n_people {int(row.n)})"
                    + (f"; mentors {', '.join(e for _, _, e in mentors)}" if mentors else ""))
        recs.append({"topic": "strengthen", "text_en": text_en, "text_th": text_th, "evidence": evidence,
                     "impact": int(row.n), "impact_unit": IMPACT_UNITS["strengthen"]})
    rest = weak.iloc[max_points:]
    if len(rest):
        recs.append({
            "topic": "strengthen", "text_en": f"{len(rest)} more C tambons are not listed here: see grades.csv.",
            "text_th": f"ยังมีตำบลกลุ่ม C อีก {len(rest)} ตำบลที่ไม่ได้แสดงที่นี่ ดูใน grades.csv",
            "evidence": f"grades.csv grade=C ({len(rest)} more)", "impact": int(rest["n"].max()),
            "impact_unit": IMPACT_UNITS["strengthen"]})
    table = pd.DataFrame(recs, columns=REC_COLUMNS[1:]).assign(n_of_kind=len(weak))
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def append_recommendations(recs: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    """``more`` after ``recs``, ranks continuing from the last of ``recs``."""
    if more.empty:
        return recs
    more = more.assign(rank=range(len(recs) + 1, len(recs) + len(more) + 1))
    return pd.concat([recs, more], ignore_index=True)[REC_COLUMNS] if not recs.empty else more[REC_COLUMNS]
