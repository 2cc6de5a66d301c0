"""report.html: the quarterly review in one self-contained page, Thai and English.

One file, no external resource at all: figures are embedded as SVG data URIs, the Sarabun
font (OFL-1.1) as a base64 ``@font-face``, the style inline; a Content-Security-Policy
forbids scripts and any network request, so the page opens on a projector laptop with no
internet and a hostile name in the data cannot run. Every string from the data goes through
:func:`html.escape`. Long tables are cut at :data:`N_ROWS` rows and say how many more the
CSV file holds.

Sections: headline numbers, the network views (links to ``graphs/*.html``), what changed
(when a previous run is given), recommendations (one page first, then details by kind), many
hats, duplicate projects, bridging organisations, coverage (gaps and pile-ups), funding
streams, tambon grades (with the link to profiles/), data quality, definitions, provenance.

Tables speak Thai: column headers are the Thai labels of report.xlsx
(:data:`analysis.render.workbook.THAI_LABELS`) with the CSV column name beneath, true/false
reads ใช่/ไม่ใช่, numbers carry thousands separators. The page prints on A4 (the template's
print stylesheet): long text columns get the width and wrap, so each top table takes at most
two pages and the demo's report about 20.
"""

import base64
import html
import numbers
import re
import string
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.advise import TOPIC_LABELS, shorten_text, summarise_recommendations
from analysis.config import TEMPLATES_DIR
from analysis.render.views import SARABUN_TTF
from analysis.render.workbook import THAI_LABELS

#: Rows shown per table: a screenful; the CSV files hold every row.
N_ROWS = 25
#: Points shown in full per kind after the one-page summary; recommendations.md holds all.
#: Two per kind (16 for the eight kinds) keep the advice section to about four A4 pages.
N_PER_KIND = 2
#: Columns holding lists joined by "|" in the CSV; the report separates the items with ", " so
#: a line can break between them.
LIST_COLUMNS = ("agencies", "roles", "funder", "agencies_in_district", "agency_ids")
#: Characters of table text across a printed A4 page (190 mm at 7.8 pt, about 1.3 mm a
#: character): the budget :func:`compute_column_widths` shares out.
TABLE_CHARS = 140
#: Longest run of text without a space kept on one line when sizing a column (an id, a code,
#: a number); longer runs are Thai text, which the browser breaks between words.
MAX_TOKEN = 14
THAI = re.compile("[\u0e00-\u0e7f]")
#: Labels of the network views (graphs/*.html) the report links to, in this order; area views
#: follow, named from coverage.csv.
VIEW_LABELS = {
    "index": ("สารบัญภาพเครือข่ายทั้งหมด", "index of every view"),
    "network": ("เครือข่ายทั้งหมด", "the whole network"),
    "organisations": ("องค์กรเชื่อมประสาน", "bridging organisations"),
    "hats": ("คนสวมหมวกหลายใบ", "many hats"),
    "duplicates": ("โครงการซ้ำซ้อน", "duplicate projects"),
}

SECTIONS = (
    ("headline", "ตัวเลขสำคัญ", "Headline numbers"),
    ("views", "ภาพเครือข่าย", "Network views"),
    ("changes", "สิ่งที่เปลี่ยนไปจากไตรมาสก่อน", "What changed since last quarter"),
    ("recommendations", "ข้อเสนอการบูรณาการ", "Recommendations"),
    ("hats", "สวมหมวกหลายใบ", "Many hats"),
    ("duplicates", "โครงการซ้ำซ้อน", "Duplicate projects"),
    ("bridges", "องค์กรเชื่อมประสาน", "Bridging organisations"),
    ("coverage", "ใครทำอะไรที่ไหน: ช่องว่างและการทับซ้อน", "Coverage: gaps and pile-ups"),
    ("funding", "สายเงินทุนของแต่ละพื้นที่", "Funding streams per area"),
    ("grades", "กลุ่ม A/B/C ของตำบล และโปรไฟล์ตำบล", "Tambon grades A/B/C and profiles"),
    ("quality", "คุณภาพข้อมูล", "Data quality"),
    ("definitions", "นิยาม", "Definitions"),
    ("provenance", "ที่มาของผลลัพธ์", "Provenance"),
)

DEFINITIONS = (
    ("บุคคล / Person", "the set of people records the tool resolved to one human (docs/definitions.md, CONTRACT §2)."),
    ("หน่วยงาน / Agency", "the root of an organisation's parent chain when it is an agency, a fund or a local "
                          "government; a person serves it through a roster or a project it leads or funds."),
    ("สวมหมวกหลายใบ / Many hats", "a person serving several agencies; n_agencies counts them."),
    ("ผู้ให้และผู้รับ / Giver and receiver", "a person on the funder's side and the receiving side of one payment."),
    ("โครงการซ้ำซ้อน / Duplicate projects", "projects in the same tambon (or one area containing the other), with "
                                           "overlapping periods and the same aim; co-funding and later phases are not duplication."),
    ("สายเงินทุน / Funding stream", "a funder's programme or funding line (stream in funding.csv)."),
    ("องค์กรเชื่อมประสาน / Bridge", "an organisation on many shortest paths between others (betweenness, Freeman 1977) "
                                    "and spanning structural holes (low constraint, Burt 1992)."),
    ("ช่องว่าง / Gap", "a tambon of a district lacking a category of work found elsewhere in that district."),
    ("การทับซ้อน / Pile-up", "a tambon where three or more agencies lead or fund one category of work."),
)


def _e(value) -> str:
    """Escaped text of a cell: empty for missing values, ใช่/ไม่ใช่ for true/false, numbers
    with thousands separators.

    Examples
    --------
    >>> [_e(v) for v in (True, np.False_, 1234567, np.int64(12), 0.3792994134863084, 250000.0, None, "<b>")]
    ['ใช่', 'ไม่ใช่', '1,234,567', '12', '0.3793', '250,000', '', '&lt;b&gt;']
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return html.escape(f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}")
    return html.escape(str(value))


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_))


def _heading(key: str) -> str:
    _, th, en = next(s for s in SECTIONS if s[0] == key)
    return f'<h2 id="{key}">{html.escape(th)} <span class="en">/ {html.escape(en)}</span></h2>'


def compute_column_widths(cells: pd.DataFrame, budget: int = TABLE_CHARS) -> list[int]:
    """Each column's share of the table width, in percent.

    Every column first gets its longest run of text without a space or a Thai letter (an id,
    a number; at most :data:`MAX_TOKEN` characters) or its header's, so ids and numbers never
    wrap; what is left
    of ``budget`` goes to the columns whose typical (mean) cell is longer than that, in
    proportion to the excess. Long text thus gets the width, short columns are not squeezed,
    and a 25-row table of reasons or agency lists prints on one or two A4 pages.

    Examples
    --------
    >>> compute_column_widths(pd.DataFrame({"rank": ["1", "12"], "reason_th": ["ก " * 60, "ข " * 100]}))
    [4, 96]
    """
    floors, excess = [], []
    for column in cells.columns:
        texts = [text for text in cells[column].tolist() if text]
        # Thai runs break between words (the browser's dictionary); ids, codes and numbers do not
        # one Thai word (a place name) still needs about 8 characters
        token = max((len(word) if not THAI.search(word) else min(len(word), 8)
                     for text in texts for word in text.split()), default=0)
        header = max(len(word) for word in THAI_LABELS.get(column, column).split() + [column])
        floor = min(MAX_TOKEN, max(token * 1.1, header * 0.7, 3)) + 1
        mean = sum(map(len, texts)) / len(cells) if len(cells) else 0.0
        floors.append(floor)
        excess.append(max(0.0, mean - floor))
    left = max(0.0, budget - sum(floors))
    widths = [f + (left * e / sum(excess) if sum(excess) else left / len(floors)) for f, e in zip(floors, excess)]
    return [round(100 * w / sum(widths)) for w in widths]


def _shown_cell(value, column: str) -> str:
    """A cell as the report shows it (escaped): list items separated by ", "."""
    if column in LIST_COLUMNS and isinstance(value, str):
        return html.escape(", ".join(item for item in value.split("|") if item))
    return _e(value)


def render_table(df: pd.DataFrame | None, columns: list[str], file_name: str, n_rows: int = N_ROWS) -> str:
    """An HTML table of the first ``n_rows`` rows of the listed (present) columns: Thai
    headers over the CSV column names, column widths from :func:`compute_column_widths`."""
    if df is None or df.empty:
        return '<p class="more">ไม่มีรายการ / none.</p>'
    columns = [c for c in columns if c in df.columns]
    rows = df[columns].head(n_rows)
    cells = pd.DataFrame({c: [_shown_cell(v, c) for v in rows[c].tolist()] for c in columns})
    widths = "".join(f'<col style="width:{w}%">' for w in compute_column_widths(cells))
    head = "".join(f"<th>{html.escape(THAI_LABELS.get(c, c))}<span class=\"col\">{html.escape(c)}</span></th>"
                   for c in columns)
    numeric = [c for c in columns if rows[c].map(_is_number).all()]
    body = []
    for i in range(len(cells)):
        body.append("<tr>" + "".join(f'<td class="num">{cells.at[i, c]}</td>' if c in numeric else f"<td>{cells.at[i, c]}</td>"
                                     for c in columns) + "</tr>")
    more = ""
    if len(df) > n_rows:
        more = (f'<p class="more">แสดง {n_rows} จาก {len(df):,} แถว อีก {len(df) - n_rows:,} แถวอยู่ใน {html.escape(file_name)} / '
                f"showing {n_rows} of {len(df):,} rows; {len(df) - n_rows:,} more in {html.escape(file_name)}.</p>")
    # the note comes first: on paper it stays with the heading, not alone on the next page
    return f"{more}<table><colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(uris: dict[str, str], name: str, alt: str) -> str:
    if name not in uris:
        return ""
    return (f'<figure><img src="{uris[name]}" alt="{html.escape(alt)}">'
            f'<figcaption class="more">figures/{name}.png, figures/{name}.svg</figcaption></figure>')


def _count(df: pd.DataFrame | None, column: str | None = None) -> int:
    if df is None:
        return 0
    return int(df[column].nunique()) if column and column in df.columns else len(df)


def compute_headline(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, int]]:
    """(Thai label, English label, number) for the headline boxes, each counted from one table."""
    hats = tables.get("hats")
    n_agencies = pd.to_numeric(hats["n_agencies"], errors="coerce") if hats is not None and "n_agencies" in hats else pd.Series(dtype=float)
    bridges = tables.get("bridges")
    cut = bridges["is_articulation_point"].astype(str).str.lower().isin(["true", "1"]).sum() if (
        bridges is not None and "is_articulation_point" in bridges) else 0
    givers = hats["is_giver_receiver"].astype(str).str.lower().isin(["true", "1"]).sum() if (
        hats is not None and "is_giver_receiver" in hats) else 0
    return [
        ("บุคคล", "persons (hats.csv)", _count(hats)),
        ("ทำงานให้ ≥ 3 หน่วยงาน", "persons serving ≥ 3 agencies", int((n_agencies >= 3).sum())),
        ("เป็นทั้งผู้ให้และผู้รับ", "givers and receivers", int(givers)),
        ("กลุ่มโครงการซ้ำซ้อน", "duplicate groups", _count(tables.get("duplicate_projects"), "group_id")),
        ("โครงการในกลุ่มซ้ำซ้อน", "projects in duplicate groups", _count(tables.get("duplicate_projects"), "project_id")),
        ("องค์กร", "organisations (bridges.csv)", _count(bridges)),
        ("องค์กรที่เครือข่ายขาดถ้าไม่มี", "articulation points", int(cut)),
        ("ช่องว่าง (ตำบล × งาน)", "gaps (tambon × category)", _count(tables.get("gaps"))),
        ("พื้นที่ทับซ้อน", "pile-ups", _count(tables.get("pile_ups"))),
        ("แถวที่กักไว้", "quarantined rows", _count(tables.get("quarantine"))),
    ]


def render_headline(tables: dict[str, pd.DataFrame]) -> str:
    items = "".join(f'<li><span class="n">{n:,}</span>{html.escape(th)}<br><span class="en">{html.escape(en)}</span></li>'
                    for th, en, n in compute_headline(tables))
    return f'{_heading("headline")}<ul class="headline">{items}</ul>'


def render_changes(changes: pd.DataFrame | None) -> str:
    if changes is None:
        return ""
    counts = changes.groupby(["change", "kind"]).size().reset_index(name="n") if not changes.empty else None
    return (f'{_heading("changes")}<p>ที่มา / source: changes.csv, changes.md.</p>'
            f'{render_table(counts, ["change", "kind", "n"], "changes.csv", 50)}'
            f'<h3>รายการ / changes, most important first</h3>'
            f'{render_table(changes, ["kind", "id", "name", "change", "before", "after", "detail"], "changes.csv")}')


def render_views(view_dir: Path, coverage: pd.DataFrame | None) -> str:
    """Links to the network views written beside the report (``graphs/*.html``), or nothing
    when there are none."""
    pages = sorted(view_dir.glob("*.html")) if view_dir.is_dir() else []
    if not pages:
        return ""
    names = {}
    if coverage is not None and {"area", "area_name"} <= set(coverage.columns):
        names = dict(zip(coverage["area"].astype(str), coverage["area_name"].fillna("").astype(str)))
    order = list(VIEW_LABELS)
    items = []
    for page in sorted(pages, key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.stem)):
        area = page.stem.removeprefix("area-")
        place = f"{names[area]} ({area})" if names.get(area) else area
        th, en = VIEW_LABELS.get(page.stem, (f"พื้นที่ {place}", f"area {place}"))
        items.append(f'<li><a href="graphs/{html.escape(page.name)}">{html.escape(th)}</a> '
                     f'<span class="en">/ {html.escape(en)} · graphs/{html.escape(page.name)}</span></li>')
    return (f'{_heading("views")}<p>เปิดในเบราว์เซอร์ได้โดยไม่ต้องใช้อินเทอร์เน็ต / open in any browser, no internet '
            f'needed.</p><ul class="views">{"".join(items)}</ul>')


def _rec_html(rec, short: bool) -> str:
    text_th, text_en = (shorten_text(rec.text_th), shorten_text(rec.text_en)) if short else (rec.text_th, rec.text_en)
    unit = getattr(rec, "impact_unit", "")
    return (f'<div class="rec"><p><b>{_e(rec.rank)}.</b> {_e(text_th)}</p><p class="en">{_e(text_en)}</p>'
            f'<p class="evidence">หลักฐาน / evidence: {_e(rec.evidence)} · ผลที่คาด / impact: {_e(rec.impact)} {_e(unit)}</p></div>')


def render_recommendations(recs: pd.DataFrame | None) -> str:
    """One page first (the most consequential point of each kind, shortened, with its evidence
    and the count of the rest: :func:`analysis.advise.summarise_recommendations`), then up to
    :data:`N_PER_KIND` points of each kind in full."""
    if recs is None or recs.empty:
        return f'{_heading("recommendations")}<p class="more">ไม่มีข้อเสนอ / no recommendation.</p>'
    summary = []
    for rec in summarise_recommendations(recs).itertuples(index=False):
        label_en, label_th = TOPIC_LABELS.get(rec.topic, (rec.topic, rec.topic))
        rest = f"อีก {rec.n_rest:,} ข้อ / {rec.n_rest:,} more" if rec.n_rest else "ข้อเดียว / the only one"
        summary.append(f'<h4>{html.escape(label_th)} <span class="en">/ {html.escape(label_en)} · {rest}</span></h4>'
                       f"{_rec_html(rec, short=True)}")
    details = []
    for topic, group in recs.groupby("topic", sort=False):
        label_en, label_th = TOPIC_LABELS.get(topic, (topic, topic))
        shown = "".join(_rec_html(rec, short=False) for rec in group.head(N_PER_KIND).itertuples(index=False))
        more = (f'<p class="more">อีก {len(group) - N_PER_KIND} ข้อใน recommendations.md / {len(group) - N_PER_KIND} more '
                f"in recommendations.md.</p>" if len(group) > N_PER_KIND else "")
        details.append(f'<h4>{html.escape(label_th)} <span class="en">/ {html.escape(label_en)}</span></h4>{shown}{more}')
    return (f'{_heading("recommendations")}<section class="onepage"><h3>หน้าเดียว: เรื่องสำคัญที่สุดของแต่ละหัวข้อ / '
            f"One page: the most consequential point of each kind</h3>{''.join(summary)}</section>"
            f'<h3>รายละเอียดตามหัวข้อ / Details by kind</h3><p>เรียงตามผลที่คาด (กฎใน docs/review_guide.md) / ordered by '
            f"expected impact (rule in docs/review_guide.md).</p>{''.join(details)}")


def render_quality(tables: dict[str, pd.DataFrame], run_info: dict) -> str:
    """Rows read, used and quarantined per table (run.json), and quarantined rows by reason."""
    counts = run_info.get("rows") or run_info.get("counts") or {}
    rows = pd.DataFrame([{"table": t, **c} for t, c in counts.items()]) if counts else None
    quarantine = tables.get("quarantine")
    reasons = None
    if quarantine is not None and not quarantine.empty:
        group = [c for c in ("table", "reason", "action") if c in quarantine.columns]
        reasons = quarantine.groupby(group).size().reset_index(name="rows").sort_values(
            ["table", "rows"], ascending=[True, False], kind="stable")
    return (f'{_heading("quality")}<p>แถวที่ใช้ไม่ได้ไม่ถูกทิ้งเงียบ ๆ: อยู่ใน quarantine.csv พร้อมเหตุผล / '
            f"rows that could not be used are listed in quarantine.csv with the reason; rows read = used + quarantined.</p>"
            f'{render_table(rows, ["table", "read", "used", "quarantined"], "run.json", 50)}'
            f'<h3>เหตุผล / reasons</h3>{render_table(reasons, ["table", "reason", "action", "rows"], "quarantine.csv", 50)}'
            f"{render_import(run_info)}")


def render_import(run_info: dict) -> str:
    """For office files: how each file and sheet was read (run.json ``import``, import_report.md)."""
    sheets = run_info.get("import")
    if not sheets:
        return ""
    return ("<h3>ไฟล์ที่อ่าน / how each file and sheet was read</h3>"
            f'{render_table(pd.DataFrame(sheets), ["file", "read_as", "header_row", "read", "used", "quarantined", "footer_rows", "columns_not_used"], "import_report.md", 200)}')


def render_definitions() -> str:
    items = "".join(f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>" for term, text in DEFINITIONS)
    return (f'{_heading("definitions")}<dl>{items}</dl><p class="more">นิยามเต็มและแหล่งอ้างอิง / full definitions and '
            f"references: docs/definitions.md.</p>")


def render_provenance(run_info: dict, public: bool) -> str:
    inputs = run_info.get("inputs", {})
    checksums = inputs.get("sha256", {}) if isinstance(inputs, dict) else {}
    files = pd.DataFrame([{"file": f, "sha256": h} for f, h in sorted(checksums.items())]) if checksums else None
    facts = [("version", run_info.get("version")), ("period", run_info.get("period")),
             ("public", run_info.get("public", public)), ("python", run_info.get("python"))]
    facts_html = "".join(f"<li>{html.escape(k)}: {_e(v)}</li>" for k, v in facts if v is not None)
    return (f'{_heading("provenance")}<ul>{facts_html}</ul>{render_table(files, ["file", "sha256"], "run.json", 50)}'
            f'<p class="more">ทั้งหมดอยู่ใน run.json (พารามิเตอร์ วิธีการ เวลา) / all in run.json (parameters, methods, timings).</p>')


def render_body(tables: dict[str, pd.DataFrame], run_info: dict, recommendations, changes, uris: dict[str, str],
                public: bool, view_dir: Path | None = None) -> str:
    """The report's body: every section in :data:`SECTIONS` order (the views when
    ``view_dir`` holds any)."""
    t = tables.get
    period = run_info.get("period") or ""
    title = f"รายงานทบทวนเครือข่าย / Network review {period}".strip()
    views = render_views(view_dir, t("coverage")) if view_dir is not None else ""
    nav = "".join(f'<li><a href="#{key}">{html.escape(th)} / {html.escape(en)}</a></li>' for key, th, en in SECTIONS
                  if (key != "changes" or changes is not None) and (key != "views" or views))
    public_note = ("<p><b>ฉบับเผยแพร่</b>: ไม่มีเบอร์โทร อีเมล หรือรหัสรายการ / <b>public edition</b>: "
                   "no phones, e-mails or record ids.</p>" if public else "")
    parts = [
        f"<header><h1>{html.escape(title)}</h1><p class=\"en\">stakemap {_e(run_info.get('version'))}</p>{public_note}</header>",
        f"<nav><ol>{nav}</ol></nav>",
        render_headline(tables),
        views,
        render_changes(changes),
        render_recommendations(recommendations),
        _heading("hats"), _figure(uris, "hats", "persons by number of agencies served"),
        render_table(t("hats"), ["person_name", "n_agencies", "n_organisations", "n_projects", "agencies", "roles",
                                 "is_giver_receiver"], "hats.csv"),
        "<h3>งานที่ฝากไว้กับคนคนเดียว / work resting on one person</h3>",
        render_table(t("concentration"), ["tambon", "person_name", "n_projects", "n_tambon_projects", "share"],
                     "concentration.csv"),
        _heading("duplicates"), _figure(uris, "duplicates", "duplicate projects by aim"),
        render_table(t("duplicate_projects"), ["group_id", "project_id", "title", "tambon", "funder", "score",
                                               "reasons_th", "suggested_host"], "duplicate_projects.csv"),
        _heading("bridges"), _figure(uris, "bridges", "top bridging organisations"),
        render_table(t("bridges"), ["rank", "name", "betweenness", "constraint", "effective_size",
                                    "is_articulation_point", "reason_th"], "bridges.csv"),
        _heading("coverage"), _figure(uris, "coverage", "projects per category"),
        "<h3>ช่องว่าง / gaps</h3>",
        render_table(t("gaps"), ["district_name", "tambon_name", "tambon", "category", "n_tambons_with",
                                 "agencies_in_district"], "gaps.csv"),
        "<h3>การทับซ้อน / pile-ups</h3>",
        render_table(t("pile_ups"), ["area_name", "area", "category", "n_agencies", "agencies"], "pile_ups.csv"),
        _heading("funding"), _figure(uris, "funding_streams", "where each area's money comes from"),
        render_table(t("funding_streams"), ["area_name", "area", "funder", "stream", "n_projects", "amount_thb"],
                     "funding_streams.csv"),
        _heading("grades"),
        '<p><a href="profiles/index.html">โปรไฟล์ตำบลทุกตำบล / every tambon\'s profile</a> · '
        "กลุ่มเป็นเครื่องมือวางแผนจากสิ่งที่อยู่ในรายชื่อ ไม่ใช่การตัดสินชุมชน / a grade is a planning aid built from what "
        "the lists contain, not a judgement of a community (docs/grades.md).</p>",
        render_table(t("grade_counts"), ["area_level", "area_name", "n_tambons", "n_A", "n_B", "n_C", "mean_score"],
                     "grade_counts.csv"),
        render_table(t("grades"), ["area_name", "area", "grade", "score", "n_people", "reason_th"], "grades.csv"),
        render_quality(tables, run_info),
        render_definitions(),
        render_provenance(run_info, public),
        "<footer>stakemap · CSV files beside this report hold every row; figures as PNG/SVG in figures/.</footer>",
    ]
    return "\n".join(p for p in parts if p)


def write_figures(tables: dict[str, pd.DataFrame], out_dir: Path) -> dict:
    """:func:`analysis.render.figures.write_figures`, imported only when a report is drawn:
    matplotlib takes a second to import, and a run's main process imports this module to
    write the views while another process writes the report."""
    from analysis.render.figures import write_figures as draw_figures

    return draw_figures(tables, out_dir)


def read_figures(folder: Path) -> dict[str, str]:
    """Name → SVG data URI of each figure :func:`write_figures` saved in ``folder``: what it
    returned, for a report written by another process than the one that drew them."""
    return {svg.stem: "data:image/svg+xml;base64," + base64.b64encode(svg.read_bytes()).decode("ascii")
            for svg in sorted(Path(folder).glob("*.svg"))}


def render_font_css() -> str:
    """Sarabun as a base64 @font-face, so Thai shows on a machine without Thai fonts."""
    data = base64.b64encode(Path(SARABUN_TTF).read_bytes()).decode("ascii")
    return f'@font-face{{font-family:"Sarabun";src:url(data:font/ttf;base64,{data}) format("truetype");}}'


def write_report_html(tables: dict[str, pd.DataFrame], run_info: dict, recommendations: pd.DataFrame | None,
                      changes: pd.DataFrame | None, out_dir: Path, public: bool = False,
                      figures: dict[str, str] | None = None) -> Path:
    """Write ``report.html`` (and its figures, as PNG and SVG in ``figures/``) into ``out_dir``.

    Parameters
    ----------
    tables : file stem → table, as written beside the report. With ``public=True`` the
        caller passes already-masked tables; the report adds no phone, e-mail or record id
        (it never shows persons.csv, match_review.csv or quarantined values).
    run_info : the content of run.json (version, period, inputs, rows per table).
    recommendations : from :func:`analysis.advise.compute_recommendations`.
    changes : from :func:`analysis.change.compare_runs`, or None when there is no previous run.
    out_dir : the run folder; the network views already written in its ``graphs/`` are linked.
    public : marks the report as the public edition.
    figures : what :func:`write_figures` of the same tables into ``out_dir / "figures"``
        returned, when they are drawn already (a run draws them while the views are being
        written); drawn here when None.

    Returns
    -------
    Path : the report file.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    uris = write_figures(tables, out_dir / "figures") if figures is None else figures
    template = string.Template((TEMPLATES_DIR / "report.html").read_text(encoding="utf-8"))
    period = run_info.get("period") or ""
    page = template.substitute(
        title=html.escape(f"stakemap: รายงานทบทวนเครือข่าย / network review {period}".strip()),
        font_css=render_font_css(),
        body=render_body(tables, run_info, recommendations, changes, uris, public, out_dir / "graphs"),
    )
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
