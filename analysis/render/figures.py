"""Figures for the quarterly review: PNG for slides, SVG for print, both with Thai text.

Drawn with matplotlib's Agg backend (no display needed) in Sarabun, the Thai font that
``fontpkg-sarabun`` ships (OFL-1.1): matplotlib's default font has no Thai glyphs and
would draw empty boxes (FIELD_NOTES.md, "Fonts for figures"). SVG text is stored as paths,
so Thai shows on a machine without the font. Same tables → same bytes: SVG ids are salted
with a fixed string and neither format records a date or the software version.

Each ``render_*`` function takes one output table and returns a matplotlib Figure, or None
when the table has nothing to draw; :func:`write_figures` draws them all and saves them.
Axis titles say in plain Thai and English what is counted; the method and the table it
comes from are in a caption under the chart (:func:`_caption`). Long names are wrapped
between Thai words (:func:`wrap_label`), never cut.
"""

import base64
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: a server or CI machine has no display

import fontpkg_sarabun  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

SARABUN_TTF = fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf"
SARABUN_BOLD_TTF = fontpkg_sarabun.ROOT / "files" / "Sarabun-Bold.ttf"

#: Bars per chart: 15 names still read on a projected slide at 1280 × 720.
N_BARS = 15
#: Areas in the funding chart: a dozen stacked bars fit one slide.
N_AREAS = 12
#: Funders coloured separately in the funding chart; the rest are summed as "others",
#: because more than eight colours cannot be told apart (Brewer's qualitative palettes).
N_FUNDERS = 8
#: 1280 × 720 px at 100 dpi: the 16:9 slide size of most projectors.
FIGSIZE = (12.8, 7.2)
DPI = 100

STYLE = {
    "font.family": fontpkg_sarabun.FAMILY,
    "font.size": 13,
    "svg.fonttype": "path",   # Thai as outlines: shows without the font installed
    "svg.hashsalt": "stakemap",  # fixed ids: same figure → same SVG bytes
    "axes.spines.top": False,
    "axes.spines.right": False,
}

FIGURE_NAMES = ("hats", "bridges", "coverage", "funding_streams", "duplicates")


def register_sarabun() -> str:
    """Make Sarabun known to matplotlib (once); return its family name."""
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in (SARABUN_TTF, SARABUN_BOLD_TTF):
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    return fontpkg_sarabun.FAMILY


#: Characters per line of a wrapped name: two lines of 36 hold the long agency names of the
#: sample (about 60 characters) beside a bar, in a third of the slide's width; 15 bars of two
#: lines fit the slide's height at 10 pt.
LABEL_WIDTH = 36


def wrap_label(text: object, width: int = LABEL_WIDTH) -> str:
    """``text`` on lines of about ``width`` characters, broken between words: Thai words as
    pythainlp's dictionary segmenter (newmm) finds them, so a name is wrapped, never cut.

    Examples
    --------
    >>> print(wrap_label("สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดสระแก้ว", 24))
    สำนักงานพัฒนาสังคมและ
    ความมั่นคงของมนุษย์
    จังหวัดสระแก้ว
    """
    text = "" if pd.isna(text) else str(text)
    if len(text) <= width:
        return text
    from pythainlp.tokenize import word_tokenize  # loads its dictionary: only when a name is long

    words = []
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if words and (words[-1].endswith("(") or word.startswith(")")):  # brackets stay with their words
            words[-1] += word
        else:
            words.append(word)
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    return "\n".join(lines + [line.rstrip()])


def _figure(title: str):
    register_sarabun()
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
        ax.set_title(title, loc="left", fontsize=16)
    return fig, ax


def _caption(fig, text: str) -> None:
    """The method and the source table, in small grey type under the chart."""
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(0.01, 0.015, text, fontsize=10, color="#555555", ha="left", va="bottom", wrap=True)


def _barh(ax, labels: list[str], values: list[float], xlabel: str) -> None:
    positions = range(len(labels))
    ax.barh(positions, values, color="#3b6ea5")
    ax.set_yticks(list(positions), labels, fontsize=10, linespacing=0.95)
    if all(float(v).is_integer() for v in values):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no tick at 2.5
    ax.invert_yaxis()  # largest on top, as the tables list them
    ax.set_xlabel(xlabel)
    for y, value in zip(positions, values):
        ax.annotate(f"{value:,.3g}" if isinstance(value, float) and not float(value).is_integer() else f"{value:,.0f}",
                    (value, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=11)


def render_hats_distribution(hats: pd.DataFrame):
    """How many persons serve 1, 2, 3 … agencies (hats.csv, persons serving at least one)."""
    if hats is None or hats.empty or "n_agencies" not in hats.columns:
        return None
    counts = pd.to_numeric(hats["n_agencies"], errors="coerce").dropna().astype(int)
    counts = counts[counts >= 1].value_counts().sort_index()
    if counts.empty:
        return None
    with plt.rc_context(STYLE):
        fig, ax = _figure("สวมหมวกหลายใบ: จำนวนคนตามจำนวนหน่วยงานที่ทำงานให้ / persons by number of agencies served")
        ax.bar([str(n) for n in counts.index], counts.to_numpy(), color="#3b6ea5")
        for x, value in enumerate(counts.to_numpy()):
            ax.annotate(f"{value:,}", (x, value), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=11)
        ax.set_xlabel("จำนวนหน่วยงานที่คนคนหนึ่งทำงานให้ / number of agencies a person works for")
        ax.set_ylabel("จำนวนคน / persons")
        _caption(fig, "ที่มา / source: hats.csv (n_agencies). หน่วยงาน = ต้นสายของ parent_id ที่เป็นหน่วยงาน กองทุน หรือ อปท.; "
                      "a person works for an agency through its rosters or the projects it leads or funds (CONTRACT §2).")
    return fig


def render_top_bridges(bridges: pd.DataFrame, n: int = N_BARS):
    """The ``n`` strongest bridging organisations by betweenness (bridges.csv, by rank)."""
    if bridges is None or bridges.empty or "betweenness" not in bridges.columns:
        return None
    top = bridges.assign(betweenness=pd.to_numeric(bridges["betweenness"], errors="coerce"))
    top = top.sort_values("rank", kind="stable") if "rank" in top.columns else top
    top = top[top["betweenness"] > 0].head(n)
    if top.empty:
        return None
    with plt.rc_context(STYLE):
        fig, ax = _figure(f"องค์กรเชื่อมประสาน {len(top)} อันดับแรก / top {len(top)} bridging organisations")
        _barh(ax, [wrap_label(name) for name in top["name"]], [float(v) for v in top["betweenness"]],
              "สัดส่วนของเส้นทางสั้นที่สุดระหว่างองค์กรอื่นที่ผ่านองค์กรนี้\n"
              "share of the shortest paths between other organisations that pass through it")
        _caption(fig, "วิธี / method: ความเป็นตัวกลาง / betweenness centrality (Freeman 1977; Brandes 2001), normalised as "
                      "networkx, links unweighted; ที่มา / source: bridges.csv.")
    return fig


def render_coverage_by_category(coverage: pd.DataFrame, n: int = N_BARS):
    """Projects per category of work in the whole dataset (coverage.csv at region level).

    The widest level present is used, so each project is counted once per agency; a project
    with no agency is counted once under "".
    """
    if coverage is None or coverage.empty or "category" not in coverage.columns:
        return None
    level = coverage["area_level"] if "area_level" in coverage.columns else pd.Series("", index=coverage.index)
    widest = next((lv for lv in ("region", "province_group", "province", "district", "tambon") if (level == lv).any()), None)
    rows = coverage[level == widest] if widest else coverage
    projects = rows.groupby(rows["category"].fillna("").replace("", "(ไม่ระบุ / none)"))["projects"].sum()
    projects = projects.sort_values(ascending=False, kind="stable").head(n)
    with plt.rc_context(STYLE):
        fig, ax = _figure("งานแต่ละประเภท: จำนวนโครงการ × หน่วยงาน / projects per category (per agency)")
        _barh(ax, [wrap_label(c) for c in projects.index], [int(v) for v in projects.to_numpy()],
              "จำนวนโครงการ นับครั้งละหน่วยงาน / projects, counted once for each agency")
        _caption(fig, "ที่มา / source: coverage.csv ระดับพื้นที่กว้างที่สุด / widest area level. ประเภทงาน = category, "
                      "หรือเป้าหมายจากชื่อโครงการเมื่อไม่มี / or the aim its title names when there is none.")
    return fig


def render_funding_streams(streams: pd.DataFrame, n_areas: int = N_AREAS, n_funders: int = N_FUNDERS):
    """Where each area's money comes from: one stacked bar per area, one colour per funder.

    The ``n_areas`` areas receiving most money are shown; funders beyond the ``n_funders``
    largest are summed as "others". Amounts in million THB.
    """
    if streams is None or streams.empty or "amount_thb" not in streams.columns:
        return None
    money = streams.assign(amount_thb=pd.to_numeric(streams["amount_thb"], errors="coerce").fillna(0.0))
    money = money[(money["area"].fillna("") != "") & (money["amount_thb"] > 0)]
    if money.empty:
        return None
    name_column = "area_name" if "area_name" in money.columns else "area"
    money = money.assign(label=money[name_column].fillna("").astype(str) + " (" + money["area"].astype(str) + ")",
                         funder=money["funder"].fillna(money["funder_id"]) if "funder" in money.columns else money["funder_id"])
    totals = money.groupby("label")["amount_thb"].sum().sort_values(ascending=False, kind="stable")
    areas = list(totals.index[:n_areas])
    money = money[money["label"].isin(areas)]
    funder_totals = money.groupby("funder")["amount_thb"].sum().sort_values(ascending=False, kind="stable")
    kept = list(funder_totals.index[:n_funders])
    money = money.assign(funder=money["funder"].where(money["funder"].isin(kept), "อื่น ๆ / others"))
    table = money.pivot_table(index="label", columns="funder", values="amount_thb", aggfunc="sum", fill_value=0.0)
    table = table.reindex(index=areas, columns=[f for f in kept + ["อื่น ๆ / others"] if f in table.columns])
    with plt.rc_context(STYLE):
        fig, ax = _figure("เงินแต่ละพื้นที่มาจากไหน / where each area's money comes from (ล้านบาท / million THB)")
        left = pd.Series(0.0, index=table.index)
        colours = plt.get_cmap("tab10").colors
        for i, funder in enumerate(table.columns):
            values = table[funder] / 1e6
            ax.barh(range(len(table)), values, left=left, label=wrap_label(funder, 40), color=colours[i % len(colours)])
            left = left + values
        ax.set_yticks(range(len(table)), [wrap_label(a) for a in table.index], fontsize=11)
        ax.invert_yaxis()
        ax.set_xlabel("เงินที่ได้รับ ล้านบาท / money received, million THB")
        ax.legend(loc="lower right", fontsize=10, frameon=False)
        _caption(fig, f"ที่มา / source: funding_streams.csv; {n_areas} พื้นที่ที่ได้เงินมากที่สุด / areas receiving most; "
                      f"แหล่งทุนนอก {n_funders} รายใหญ่รวมเป็น 'อื่น ๆ' / funders beyond the {n_funders} largest summed as 'others'.")
    return fig


#: Label of duplicate projects whose aims the taxonomy did not name (matched by wording).
NO_AIM = "ถ้อยคำคล้ายกัน / by wording"


def render_duplicates_by_aim(duplicates: pd.DataFrame, n: int = N_BARS):
    """Projects in duplicate groups per aim (duplicate_projects.csv): which line of work
    duplicates most, with the groups and tambons it spans written beside each bar.

    A group pursuing two aims counts under both. Bars are the number of projects, which
    differ between aims even where every group has two or three projects.
    """
    if duplicates is None or duplicates.empty or "group_id" not in duplicates.columns:
        return None
    aims = duplicates["aim"] if "aim" in duplicates.columns else pd.Series("", index=duplicates.index)
    place = duplicates["tambon"] if "tambon" in duplicates.columns else pd.Series("", index=duplicates.index)
    rows = duplicates.assign(aim=aims.fillna("").astype(str).str.split("|"), place=place.fillna("").astype(str)).explode("aim")
    rows = rows.assign(aim=rows["aim"].where(rows["aim"] != "", NO_AIM))
    by_aim = rows.groupby("aim").agg(projects=("project_id", "nunique"), groups=("group_id", "nunique"),
                                     tambons=("place", "nunique"))
    by_aim = by_aim.sort_values(["projects", "groups"], ascending=False, kind="stable").head(n)
    with plt.rc_context(STYLE):
        fig, ax = _figure("โครงการซ้ำซ้อนตามเป้าหมาย / duplicate projects by aim")
        labels = [f"{wrap_label(aim)}\n{groups} กลุ่ม / groups · {tambons} ตำบล / tambons"
                  for aim, groups, tambons in zip(by_aim.index, by_aim["groups"], by_aim["tambons"])]
        _barh(ax, labels, [int(v) for v in by_aim["projects"]], "จำนวนโครงการในกลุ่มซ้ำซ้อน / projects in duplicate groups")
        _caption(fig, "ซ้ำซ้อน = ตำบลเดียวกัน ช่วงเวลาทับกัน เป้าหมายเดียวกัน / duplicates: same tambon, overlapping periods, "
                      "same aim (CONTRACT §2; docs/overlaps.md). ที่มา / source: duplicate_projects.csv (aim).")
    return fig


def render_all(tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Every figure that has data: name (:data:`FIGURE_NAMES`) → Figure."""
    figures = {
        "hats": render_hats_distribution(tables.get("hats")),
        "bridges": render_top_bridges(tables.get("bridges")),
        "coverage": render_coverage_by_category(tables.get("coverage")),
        "funding_streams": render_funding_streams(tables.get("funding_streams")),
        "duplicates": render_duplicates_by_aim(tables.get("duplicate_projects")),
    }
    return {name: fig for name, fig in figures.items() if fig is not None}


def save_figure(fig, path_stem: Path) -> list[Path]:
    """Save ``fig`` as ``<stem>.png`` and ``<stem>.svg``, without dates or software names."""
    path_stem = Path(path_stem)
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = path_stem.with_suffix(".png"), path_stem.with_suffix(".svg")
    with plt.rc_context(STYLE):
        fig.savefig(png, dpi=DPI, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None, "Creator": None})
    return [png, svg]


def render_svg_data_uri(svg: bytes) -> str:
    """SVG bytes as a ``data:image/svg+xml;base64,…`` URI, for a self-contained report."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def write_figures(tables: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, str]:
    """Draw every figure, save PNG + SVG in ``out_dir``, return name → SVG data URI.

    The figures are closed after saving, so a long notebook session does not pile them up.
    """
    uris = {}
    for name, fig in render_all(tables).items():
        _, svg = save_figure(fig, Path(out_dir) / name)
        uris[name] = render_svg_data_uri(svg.read_bytes())
        plt.close(fig)
    return uris
