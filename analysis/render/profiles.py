"""profiles/<code>.html: one printable page per tambon, district, province and province group
(Thai first, with English), and an index linking them all.

A tambon's page links up to the pages of its district, province and province group; a
roll-up's page lists the areas one level down, each linked to its page.

A profile prints on at most two A4 pages (tests/browser/test_profiles_browser.py): each list
is cut at :data:`analysis.profiles.MAX_ROWS` rows and says how many more there are and in
which CSV file. No script, no network: a Content-Security-Policy forbids both, and every
string from the data goes through :func:`html.escape`. The Sarabun font and the style live
once in ``profiles/profile.css`` (7,436 copies of a 120 KB font would weigh 900 MB); a
profile written alone (``stakemap profile --out FILE``) carries them inline.
"""

import html
import math
import string
from pathlib import Path

import pandas as pd

from analysis.config import TEMPLATES_DIR
from analysis.profiles import GROUP_PREFIX, MAX_ROWS, Profile, ProfileBook, find_page_name
from analysis.progress import track
from analysis.render.report import render_font_css

CSS_FILE = "profile.css"
#: A run writes every tambon's page (and its roll-ups) up to this many tambons, enough for the
#: largest province (Nakhon Ratchasima, 287) and province group (about 760): at 30 ms of CPU a
#: page (measured on a national run) that is at most ~33 s. Nationally the 8,459 pages took
#: 253 s of CPU, more than twice the run's 120 s target; then only the index is written and
#: ``stakemap profile`` makes a page on demand (docs/scaling.md).
MAX_PAGES = 1000
LEVEL_NAMES = {"tambon": ("ตำบล", "tambon"), "district": ("อำเภอ", "district"), "province": ("จังหวัด", "province"),
               "province_group": ("กลุ่มจังหวัด", "province group"), "region": ("ภาค", "region")}
#: Levels whose names already say the level (กลุ่มจังหวัด…, ภาค…): shown without the level word.
NAMED_LEVELS = ("province_group", "region")

#: (section, Thai title, English title, columns shown, the CSV holding every row)
SECTIONS = (
    ("areas", "พื้นที่ในเขต", "Areas within (tambon: grade, score; district, province: tambons by grade)", [],
     "grade_counts.csv"),
    ("organisations", "องค์กรในพื้นที่และผู้นำ", "Organisations present and who leads them", ["name", "kind", "leaders"],
     "organisations.csv"),
    ("funding", "กระแสเงินที่ไหลเข้า", "Funding currents flowing in",
     ["funder", "stream", "n_projects", "n_organisations", "amount_thb", "thb_per_head"], "funding_streams.csv"),
    ("by_aim", "โครงการตามเป้าหมาย", "Projects by aim", ["category", "n_projects", "budget_thb"], "coverage.csv"),
    ("by_agency", "โครงการตามหน่วยงาน", "Projects by agency", ["agency", "n_projects", "budget_thb"], "coverage.csv"),
    ("by_period", "โครงการตามช่วงเวลา (พ.ศ.)", "Projects by period (BE)", ["period", "n_projects", "budget_thb"],
     "projects.csv"),
    ("projects", "โครงการ", "Projects", ["title", "category", "agencies", "period", "budget_thb"], "projects.csv"),
    ("hats", "คนสวมหมวกหลายใบ และผู้ให้ที่เป็นผู้รับ", "People with many hats, givers who receive",
     ["person", "n_agencies", "agencies", "giver_receiver"], "hats.csv"),
    ("concentration", "งานที่รวมอยู่ที่คนเดียว", "Work held by one person", ["person", "tambon", "n_projects", "share"],
     "concentration.csv"),
    ("bridges", "องค์กรเชื่อมประสานที่เข้าถึงพื้นที่", "Bridges reaching the area", ["name", "rank", "betweenness"],
     "bridges.csv"),
    ("duplicates", "กลุ่มโครงการซ้ำซ้อน", "Duplicate groups", ["group_id", "projects", "titles"],
     "duplicate_projects.csv"),
    ("gaps", "ช่องว่าง: งานที่ตำบลอื่นในอำเภอมีแต่ที่นี่ไม่มี", "Gaps: work found elsewhere in the district, not here",
     ["category", "n_tambons", "agencies_in_district"], "gaps.csv"),
    ("pile_ups", "การทับซ้อน: หน่วยงานตั้งแต่ 3 แห่งในงานเดียว", "Pile-ups: three or more agencies in one line of work",
     ["area_name", "category", "n_agencies", "agencies"], "pile_ups.csv"),
    ("changes", "สิ่งที่เปลี่ยนไปจากไตรมาสก่อน", "Changes since the previous quarter",
     ["kind", "name", "change", "before", "after"], "changes.csv"),
)

#: Sections side by side on the page: short tables share a row so that two A4 pages hold a busy tambon.
LAYOUT = (("areas",), ("organisations",), ("funding",), ("by_aim", "by_agency", "by_period"), ("projects",), ("hats",),
          ("concentration", "bridges"), ("duplicates", "gaps"), ("pile_ups", "changes"))


#: Sections a roll-up's page leaves out: six of a district's 75 projects say little that the
#: projects by aim, agency and period do not, and without them a province prints on two A4
#: pages (tests/browser/test_profiles_browser.py); projects.csv lists them all.
ROLLUP_SKIPPED = ("projects",)

#: Characters of text shown per cell: a giver-and-receiver detail can run to a paragraph;
#: hats.csv holds it whole.
MAX_CELL = 200


def _e(value) -> str:
    """Escaped text of a cell (cut at :data:`MAX_CELL` characters); empty for a missing value;
    numbers with thousands separators."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str) and len(value) > MAX_CELL:
        value = value[:MAX_CELL] + "…"
    if isinstance(value, float):
        return html.escape(f"{value:,.0f}" if abs(value) >= 100 or value.is_integer() else f"{value:,.2f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return html.escape(str(value))


def render_rows(df: pd.DataFrame, columns: list[str], total: int, file_name: str) -> str:
    """A table of the first :data:`MAX_ROWS` rows, and a line saying how many more are in ``file_name``."""
    columns = [c for c in columns if c in df.columns]
    if df.empty:
        return '<p class="more">ไม่มีในข้อมูล / none in the lists.</p>'
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in zip(*(df[c].tolist()[:MAX_ROWS] for c in columns)):  # plain lists: 7,436 pages × 13 tables
        cells = "".join(f'<td class="num">{_e(v)}</td>' if isinstance(v, (int, float)) and not isinstance(v, bool)
                        else f"<td>{_e(v)}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    more = ""
    if total > MAX_ROWS:
        more = (f'<p class="more">อีก {total - MAX_ROWS:,} รายการใน {html.escape(file_name)} / '
                f"{total - MAX_ROWS:,} more in {html.escape(file_name)}</p>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def render_grade(profile: Profile) -> str:
    """The box the page opens with: the grade and why, or a roll-up's A/B/C counts."""
    if profile.grade is not None:
        grade = profile.grade
        return (f'<section class="grade grade-{html.escape(grade["grade"])}"><div class="letter">{_e(grade["grade"])}</div>'
                f'<div><p>{_e(grade["reason_th"])}</p><p class="en">{_e(grade["reason"])}</p></div></section>')
    counts = profile.grade_counts
    if counts is not None and not counts.empty:
        row = counts.iloc[0]
        return (f'<section class="grade"><div><p>ตำบลกลุ่ม A {_e(int(row["n_A"]))} · B {_e(int(row["n_B"]))} · '
                f'C {_e(int(row["n_C"]))} จาก {_e(int(row["n_tambons"]))} ตำบล (คะแนนเฉลี่ย {_e(row["mean_score"])})</p>'
                f'<p class="en">Tambons graded A {_e(int(row["n_A"]))}, B {_e(int(row["n_B"]))}, C {_e(int(row["n_C"]))} '
                f'of {_e(int(row["n_tambons"]))} (mean score {_e(row["mean_score"])})</p></div></section>')
    return '<p class="more">ยังไม่ได้จัดกลุ่ม / not graded.</p>'


def render_areas(profile: Profile, links: bool) -> str:
    """A roll-up's way down: every area of ``tables["areas"]`` on one short line, in three
    columns (a table of 32 districts would push a province onto a third page): a tambon with
    its grade and score, a district or province with its A/B/C counts; each linked to its
    page when ``links``."""
    areas = profile.tables["areas"]
    if areas.empty:
        return '<p class="more">ไม่มีในข้อมูล / none in the lists.</p>'
    items = []
    for row in areas.to_dict("records"):
        name = _e(row["area_name"])
        if links:
            name = f'<a href="{html.escape(profile.pages[row["area"]])}">{name}</a>'
        if "grade" in row:
            detail = f'<b>{_e(row["grade"])}</b> {_e(row["score"])}'
        else:
            detail = (f'{_e(int(row["n_tambons"]))} ตำบล: A {_e(int(row["n_A"]))} · B {_e(int(row["n_B"]))} · '
                      f'C {_e(int(row["n_C"]))}')
        items.append(f"<li>{name} {detail}</li>")
    return f'<ul class="areas">{"".join(items)}</ul>'


def _render_where(profile: Profile, links: bool) -> str:
    """The areas holding the profile's, finest first, each linked to its page when ``links``."""
    shown = []
    for level, code, name in profile.parents:
        text = _e(name if level in NAMED_LEVELS else f"{LEVEL_NAMES[level][0]}{name}")
        if links and code in profile.pages:
            text = f'<a href="{html.escape(profile.pages[code])}">{text}</a>'
        shown.append(text)
    return " › ".join(shown)


def render_profile_body(profile: Profile, links: bool = False) -> str:
    """The page body of one profile; with ``links`` (pages written side by side in
    ``profiles/``) the areas holding it and the areas it lists link to their pages."""
    th, en = LEVEL_NAMES[profile.level]
    if profile.level in NAMED_LEVELS:
        th = ""
    amount = profile.totals.get("amount_thb", math.nan)
    money = "" if pd.isna(amount) else f"{amount:,.0f}"
    per_head = ""
    if profile.population and money:
        per_head = f" · {amount / profile.population:,.2f} บาทต่อคน / THB per head ({profile.population:,.0f} คน / people)"
    parts = [
        f"<h1>{html.escape(th)}{_e(profile.name_th)} <span class=\"en\">/ {html.escape(en.capitalize())} "
        f"{_e(profile.name_en)}</span></h1>",
        f'<p class="where">{_e(profile.pages.get(profile.area, profile.area).removesuffix(".html"))} · '
        f"{_render_where(profile, links)}</p>",
        render_grade(profile),
        f'<p>องค์กร / organisations {profile.totals.get("organisations", 0):,} · โครงการ / projects '
        f'{profile.totals.get("projects", 0):,} · เงินเข้า / money in {html.escape(money or "—")} บาท / THB'
        f"{html.escape(per_head)}</p>",
    ]
    sections = {section[0]: section for section in SECTIONS}
    for row in LAYOUT:
        cells = []
        for key in row:
            if key not in profile.tables or (profile.level != "tambon" and key in ROLLUP_SKIPPED):
                continue
            _, title_th, title_en, columns, file_name = sections[key]
            table = profile.tables[key]
            shown = (render_areas(profile, links) if key == "areas"
                     else render_rows(table, columns, int(profile.totals.get(key, 0)), file_name))
            cells.append(f'<div><h2 id="{key}">{html.escape(title_th)} <span class="en">/ {html.escape(title_en)}</span></h2>'
                         + shown + "</div>")
        if cells:
            parts.append(f'<div class="cols cols-{len(cells)}">{"".join(cells)}</div>')
    parts.append('<p class="note">กลุ่ม A/B/C เป็นเครื่องมือวางแผนจากสิ่งที่อยู่ในรายชื่อและบัญชีที่ได้รับ ไม่ใช่การตัดสินชุมชน '
                 '(docs/grades.md) / A grade is a planning aid built from what the lists contain, not a judgement of a '
                 'community (docs/grades.md).</p>')
    return "\n".join(parts)


def render_css() -> str:
    """The style of every profile, with the Sarabun font inlined (offline Thai)."""
    return string.Template((TEMPLATES_DIR / "profile.css").read_text(encoding="utf-8")).substitute(
        font_css=render_font_css())


def render_profile_html(profile: Profile, *, css_file: str | None = CSS_FILE, links: bool = False) -> str:
    """A profile page: linking ``css_file`` (beside it), or carrying the style inline when None;
    ``links``: to the pages of the areas around it (written beside it)."""
    style = (f'<link rel="stylesheet" href="{html.escape(css_file)}">' if css_file
             else f"<style>\n{render_css()}\n</style>")
    template = string.Template((TEMPLATES_DIR / "profile.html").read_text(encoding="utf-8"))
    level = "" if profile.level in NAMED_LEVELS else LEVEL_NAMES[profile.level][0]
    title = f"{level}{profile.name_th} / {profile.name_en}"
    return template.substitute(title=html.escape(title), style=style, body=render_profile_body(profile, links))


def _render_groups(grades: pd.DataFrame, gazetteer, has_pages: bool) -> str:
    """The index's way in from above: each province group of the run with its provinces,
    linked to their roll-up pages when ``has_pages``."""
    provinces = set(grades["area"].str[:2])
    items = []
    for group, codes in gazetteer.group_provinces().items():
        codes = [code for code in codes if code in provinces]
        if not codes:
            continue
        shown = [(find_page_name(f"{GROUP_PREFIX}{group}", gazetteer), _e(group))]
        shown += [(f"{code}.html", _e(f"จังหวัด{gazetteer.name(code)}")) for code in codes]
        links = [f'<a href="{html.escape(page)}">{text}</a>' if has_pages else text for page, text in shown]
        items.append(f"<li>{links[0]}: {', '.join(links[1:])}</li>")
    return f'<ul class="index">{"".join(items)}</ul>'


def render_index(grades: pd.DataFrame, gazetteer, has_pages: bool = True) -> str:
    """profiles/index.html: every province group and province of the run, then every tambon
    of grades.csv by province and district, with its grade, linked to its page (and each
    province and district heading to its roll-up page), or (``has_pages`` False) with the
    command that makes a page."""
    codes = sorted(grades["area"])
    grades = grades.set_index("area")

    def link(code: str, text: str) -> str:
        return f'<a href="{html.escape(code)}.html">{text}</a>' if has_pages else text

    rows, current = [], None
    for code in codes:
        district = code[:4]
        if district != current:
            if current is not None:
                rows.append("</ul>")
            rows.append(f"<h2>{link(code[:2], _e(gazetteer.name(code[:2])))} › "
                        f"{link(district, 'อำเภอ' + _e(gazetteer.name(district)))}</h2>"
                        '<ul class="index">')
            current = district
        grade = grades.at[code, "grade"] if code in grades.index else ""
        name = _e(gazetteer.name(code))
        shown = link(code, name) if has_pages else f"{name} <code>{_e(code)}</code>"
        rows.append(f'<li>{shown} <span class="en">{_e(gazetteer.name(code, "en"))}</span> <b>{_e(grade)}</b></li>')
    if current is not None:
        rows.append("</ul>")
    template = string.Template((TEMPLATES_DIR / "profile.html").read_text(encoding="utf-8"))
    on_demand = "" if has_pages else (
        f"<p>หน้าของแต่ละพื้นที่ไม่ได้เขียนไว้ล่วงหน้า เพราะมีเกิน {MAX_PAGES:,} ตำบล: สร้างด้วย "
        "<code>stakemap profile RUN --area CODE</code> (ตำบล อำเภอ จังหวัด หรือชื่อกลุ่มจังหวัด) / pages are not "
        f"written ahead for more than {MAX_PAGES:,} tambons: make one with <code>stakemap profile RUN --area CODE"
        "</code> (a tambon, district or province code, or a province group's name; docs/scaling.md).</p>")
    groups = _render_groups(grades.reset_index(), gazetteer, has_pages) if codes else ""
    body = ('<h1>โปรไฟล์ตำบล <span class="en">/ Tambon profiles</span></h1>'
            f'<p>{len(codes):,} ตำบล / tambons · กลุ่ม / grade A, B, C: grades.csv; '
            "ภาพรวมอำเภอ จังหวัด กลุ่มจังหวัด / district, province and province group roll-ups: grade_counts.csv</p>"
            + on_demand + '<h2>กลุ่มจังหวัดและจังหวัด <span class="en">/ Province groups and provinces</span></h2>'
            + groups + "\n".join(rows))
    return template.substitute(title="โปรไฟล์ตำบล / Tambon profiles",
                               style=f'<link rel="stylesheet" href="{CSS_FILE}">', body=body)


def write_profiles(book: ProfileBook, out_dir: Path) -> list[Path]:
    """Write ``profile.css``, a page for every graded tambon and for every district, province
    and province group holding one (:meth:`ProfileBook.rollups`), linked to each other, and
    ``index.html`` into ``out_dir``; return the pages' paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    areas = [*book.tambons(), *book.rollups()]
    written = []
    for area in track(areas, "area profiles", total=len(areas)):
        profile = book.build(area)
        path = out_dir / profile.pages[area]
        path.write_text(render_profile_html(profile, links=True), encoding="utf-8")
        written.append(path)
    return [*written, write_profile_index(book.grades, book.gazetteer, out_dir)]


def list_profile_pages(grades: pd.DataFrame, grade_counts: pd.DataFrame, gazetteer) -> dict[str, str]:
    """Area → its page relative to the run's folder (``profiles/270101.html``,
    ``profiles/group-09.html``): every page :func:`write_profiles` writes for these tables."""
    areas = [*grades["area"], *grade_counts["area"]]
    return {area: f"profiles/{find_page_name(area, gazetteer)}" for area in areas}


def write_profile_index(grades: pd.DataFrame, gazetteer, out_dir: Path, has_pages: bool = True) -> Path:
    """Write ``profile.css`` and ``index.html`` (every tambon of grades.csv) into ``out_dir``.

    With ``has_pages`` False (a run of more than :data:`MAX_PAGES` tambons writes no page)
    the index gives each tambon's grade and the command that makes its page.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / CSS_FILE).write_text(render_css(), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(render_index(grades, gazetteer, has_pages), encoding="utf-8")
    return index


#: Grade colours in the views: green, amber, red (colour-blind safe enough with the letter
#: in each node's note; the legend says which is which).
GRADE_COLOURS = {"A": "#2e7d32", "B": "#e0a800", "C": "#c0392b"}


def link_profiles(G, grades: pd.DataFrame, has_pages: bool = True) -> None:
    """Mark each graded tambon's area node of ``G``: coloured by its grade, with the grade in
    its note, and (``has_pages``) its page ``../profiles/<code>.html`` (relative to graphs/),
    so that a view opens the profile of a clicked tambon. Adds the grades to the legend."""
    marked = False
    for code, grade, score in zip(grades["area"], grades["grade"], grades["score"]):
        node = f"area:{code}"
        if node not in G:
            continue
        attrs = G.nodes[node]
        attrs["view_color"] = GRADE_COLOURS.get(grade, attrs.get("view_color"))
        attrs["view_note"] = f"กลุ่ม {grade} คะแนน {score:g} / grade {grade}, score {score:g} (grades.csv)"
        if has_pages:
            attrs["profile"] = f"../profiles/{code}.html"
        marked = True
    if marked:
        kept = [entry for entry in G.graph.get("legend") or [] if not entry.get("en", "").startswith("tambon graded")]
        G.graph["legend"] = kept + [
            {"kind": "", "th": f"ตำบลกลุ่ม {g}", "en": f"tambon graded {g}", "color": colour, "shape": "diamond"}
            for g, colour in GRADE_COLOURS.items()]


def write_profile(profile: Profile, path: Path) -> Path:
    """One self-contained profile page (style and font inline) at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_profile_html(profile, css_file=None), encoding="utf-8")
    return path
