"""report.html: the quarterly review in one self-contained page, Thai and English.

One file, no external resource at all: figures are embedded as SVG data URIs, the Sarabun
font (OFL-1.1) as a base64 ``@font-face``, the style inline; a Content-Security-Policy
forbids scripts and any network request, so the page opens on a projector laptop with no
internet and a hostile name in the data cannot run. Every string from the data goes through
:func:`html.escape`. Long tables are cut at :data:`N_ROWS` rows and say how many more the
CSV file holds.

Sections: headline numbers, what changed (when a previous run is given), recommendations,
many hats, duplicate projects, bridging organisations, coverage (gaps and pile-ups),
funding streams, tambon grades (with the link to profiles/), data quality, definitions, provenance.
"""

import base64
import html
import string
from pathlib import Path

import pandas as pd

from analysis.config import TEMPLATES_DIR
from analysis.render.figures import SARABUN_TTF, write_figures

#: Rows shown per table: a screenful; the CSV files hold every row.
N_ROWS = 25
#: Recommendations shown in full; recommendations.md holds all.
N_RECOMMENDATIONS = 40

SECTIONS = (
    ("headline", "ตัวเลขสำคัญ", "Headline numbers"),
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
    """Escaped text of a cell; empty for missing values."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return html.escape(f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}")
    return html.escape(str(value))


def _heading(key: str) -> str:
    _, th, en = next(s for s in SECTIONS if s[0] == key)
    return f'<h2 id="{key}">{html.escape(th)} <span class="en">/ {html.escape(en)}</span></h2>'


def render_table(df: pd.DataFrame | None, columns: list[str], file_name: str, n_rows: int = N_ROWS) -> str:
    """An HTML table of the first ``n_rows`` rows of the listed (present) columns."""
    if df is None or df.empty:
        return '<p class="more">ไม่มีรายการ / none.</p>'
    columns = [c for c in columns if c in df.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in df[columns].head(n_rows).itertuples(index=False):
        cells = "".join(f'<td class="num">{_e(v)}</td>' if isinstance(v, (int, float)) and not isinstance(v, bool)
                        else f"<td>{_e(v)}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    more = ""
    if len(df) > n_rows:
        more = (f'<p class="more">แสดง {n_rows} จาก {len(df):,} แถว อีก {len(df) - n_rows:,} แถวอยู่ใน {html.escape(file_name)} / '
                f"showing {n_rows} of {len(df):,} rows; {len(df) - n_rows:,} more in {html.escape(file_name)}.</p>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


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


def render_recommendations(recs: pd.DataFrame | None) -> str:
    if recs is None or recs.empty:
        return f'{_heading("recommendations")}<p class="more">ไม่มีข้อเสนอ / no recommendation.</p>'
    items = []
    for rec in recs.head(N_RECOMMENDATIONS).itertuples(index=False):
        unit = getattr(rec, "impact_unit", "")
        items.append(f'<div class="rec"><p><b>{_e(rec.rank)}.</b> {_e(rec.text_th)}</p><p class="en">{_e(rec.text_en)}</p>'
                     f'<p class="evidence">หลักฐาน / evidence: {_e(rec.evidence)} · ผลที่คาด / impact: {_e(rec.impact)} {_e(unit)}</p></div>')
    more = (f'<p class="more">อีก {len(recs) - N_RECOMMENDATIONS} ข้อใน recommendations.md / '
            f'{len(recs) - N_RECOMMENDATIONS} more in recommendations.md.</p>' if len(recs) > N_RECOMMENDATIONS else "")
    return (f'{_heading("recommendations")}<p>เรียงตามผลที่คาด (กฎใน docs/review_guide.md) / ordered by expected impact '
            f'(rule in docs/review_guide.md).</p>{"".join(items)}{more}')


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
            f'<h3>เหตุผล / reasons</h3>{render_table(reasons, ["table", "reason", "action", "rows"], "quarantine.csv", 50)}')


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
                public: bool) -> str:
    """The report's body: every section in :data:`SECTIONS` order."""
    t = tables.get
    period = run_info.get("period") or ""
    title = f"รายงานทบทวนเครือข่าย / Network review {period}".strip()
    nav = "".join(f'<li><a href="#{key}">{html.escape(th)} / {html.escape(en)}</a></li>'
                  for key, th, en in SECTIONS if key != "changes" or changes is not None)
    public_note = ("<p><b>ฉบับเผยแพร่</b>: ไม่มีเบอร์โทร อีเมล หรือรหัสรายการ / <b>public edition</b>: "
                   "no phones, e-mails or record ids.</p>" if public else "")
    parts = [
        f"<header><h1>{html.escape(title)}</h1><p class=\"en\">stakemap {_e(run_info.get('version'))}</p>{public_note}</header>",
        f"<nav><ol>{nav}</ol></nav>",
        render_headline(tables),
        render_changes(changes),
        render_recommendations(recommendations),
        _heading("hats"), _figure(uris, "hats", "persons by number of agencies served"),
        render_table(t("hats"), ["person_name", "n_agencies", "n_organisations", "n_projects", "agencies", "roles",
                                 "is_giver_receiver"], "hats.csv"),
        "<h3>งานที่ฝากไว้กับคนคนเดียว / work resting on one person</h3>",
        render_table(t("concentration"), ["tambon", "person_name", "n_projects", "n_tambon_projects", "share"],
                     "concentration.csv"),
        _heading("duplicates"), _figure(uris, "duplicates", "duplicate groups per district"),
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


def render_font_css() -> str:
    """Sarabun as a base64 @font-face, so Thai shows on a machine without Thai fonts."""
    data = base64.b64encode(Path(SARABUN_TTF).read_bytes()).decode("ascii")
    return f'@font-face{{font-family:"Sarabun";src:url(data:font/ttf;base64,{data}) format("truetype");}}'


def write_report_html(tables: dict[str, pd.DataFrame], run_info: dict, recommendations: pd.DataFrame | None,
                      changes: pd.DataFrame | None, out_dir: Path, public: bool = False) -> Path:
    """Write ``report.html`` (and its figures, as PNG and SVG in ``figures/``) into ``out_dir``.

    Parameters
    ----------
    tables : file stem → table, as written beside the report. With ``public=True`` the
        caller passes already-masked tables; the report adds no phone, e-mail or record id
        (it never shows persons.csv, match_review.csv or quarantined values).
    run_info : the content of run.json (version, period, inputs, rows per table).
    recommendations : from :func:`analysis.advise.compute_recommendations`.
    changes : from :func:`analysis.change.compare_runs`, or None when there is no previous run.
    out_dir : the run folder.
    public : marks the report as the public edition.

    Returns
    -------
    Path : the report file.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    uris = write_figures(tables, out_dir / "figures")
    template = string.Template((TEMPLATES_DIR / "report.html").read_text(encoding="utf-8"))
    period = run_info.get("period") or ""
    page = template.substitute(
        title=html.escape(f"stakemap: รายงานทบทวนเครือข่าย / network review {period}".strip()),
        font_css=render_font_css(),
        body=render_body(tables, run_info, recommendations, changes, uris, public),
    )
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
