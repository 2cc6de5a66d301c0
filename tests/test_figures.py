"""Figures (analysis/render/figures.py): Thai glyphs present, files written, same bytes twice."""

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.render import figures


def tables():
    return {
        "hats": pd.DataFrame({"n_agencies": [1, 1, 2, 3, 0]}),
        "bridges": pd.DataFrame({"org_id": ["A", "B"], "name": ["สภาองค์กรชุมชนตำบลคลองหินปูน", "ผู้ใหญ่บ้าน น้ำใส"],
                                 "rank": [1, 2], "betweenness": [0.4, 0.1]}),
        "coverage": pd.DataFrame({"area": ["region:ภาคตะวันออก"] * 2, "area_level": ["region"] * 2,
                                  "category": ["ที่อยู่อาศัย", "สวัสดิการชุมชน"], "projects": [3, 2]}),
        "funding_streams": pd.DataFrame({"area": ["270405", "270405"], "area_name": ["คลองหินปูน"] * 2,
                                         "funder_id": ["N", "T"], "funder": ["พอช.", "อบต."],
                                         "stream": ["บ้านมั่นคง", "ข้อบัญญัติ"], "amount_thb": [300000.0, 100000.0]}),
        "duplicate_projects": pd.DataFrame({"group_id": ["D-1", "D-1"], "project_id": ["J1", "J2"],
                                            "tambon": ["คลองหินปูน"] * 2}),
    }


def test_thai_text_draws_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = figures.render_top_bridges(tables()["bridges"])
        fig.canvas.draw()
        plt.close(fig)
    glyph_warnings = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing" in str(w.message)]
    assert glyph_warnings == []


def test_default_font_would_warn_so_the_check_can_fail():
    # The same check catches the failure it guards against: DejaVu Sans has no Thai.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with plt.rc_context({"font.family": "DejaVu Sans"}):
            fig, ax = plt.subplots()
            ax.set_title("ตำบล")
            fig.canvas.draw()
            plt.close(fig)
    assert any("Glyph" in str(w.message) for w in caught)


def test_every_figure_written_as_png_and_svg_with_the_same_bytes_twice(tmp_path):
    uris = figures.write_figures(tables(), tmp_path / "a")
    assert sorted(uris) == sorted(figures.FIGURE_NAMES)
    for name in figures.FIGURE_NAMES:
        assert (tmp_path / "a" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        svg = (tmp_path / "a" / f"{name}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg and "<text" not in svg  # text as paths: Thai shows without the font
        assert uris[name].startswith("data:image/svg+xml;base64,")
    # the same tables again (one figure is enough to catch a date or a random id)
    again = {"bridges": tables()["bridges"]}
    figures.write_figures(again, tmp_path / "b")
    for suffix in (".png", ".svg"):
        assert (tmp_path / "a" / f"bridges{suffix}").read_bytes() == (tmp_path / "b" / f"bridges{suffix}").read_bytes()


def test_the_report_reads_back_the_figures_as_they_were_drawn(tmp_path):
    # A run draws the figures in one part and writes the report in another.
    from analysis.render.report import read_figures

    uris = figures.write_figures({"bridges": tables()["bridges"], "hats": tables()["hats"]}, tmp_path)
    assert read_figures(tmp_path) == uris and len(uris) == 2
    assert read_figures(tmp_path / "none drawn") == {}


@pytest.mark.parametrize("name", ["hats", "bridges", "coverage", "funding_streams", "duplicate_projects"])
def test_empty_tables_draw_nothing(name, tmp_path):
    empty = {name: tables()[name].iloc[0:0]}
    assert figures.write_figures(empty, tmp_path) == {}


def test_duplicates_figure_counts_projects_per_aim_so_bars_differ():
    # Two housing groups (3 + 2 projects, two tambons) and one health group (2 projects);
    # the group D-3 pursues housing and land, so it counts under both.
    duplicates = pd.DataFrame({
        "group_id": ["D-1"] * 3 + ["D-2"] * 2 + ["D-3"] * 2,
        "project_id": ["J1", "J2", "J3", "J4", "J5", "J6", "J7"],
        "tambon": ["ก"] * 3 + ["ข"] * 2 + ["ค"] * 2,
        "aim": ["ที่อยู่อาศัย"] * 5 + ["สุขภาพ|ที่ดิน"] * 2,
    })
    fig = figures.render_duplicates_by_aim(duplicates)
    ax = fig.axes[0]
    widths = [patch.get_width() for patch in ax.patches]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    plt.close(fig)
    assert widths == [5, 2, 2]  # housing 5 projects; land 2; health 2 (equal counts keep aim order)
    assert labels[0] == "ที่อยู่อาศัย\n2 กลุ่ม / groups · 2 ตำบล / tambons"
    assert "projects in duplicate groups" in ax.get_xlabel()


def test_long_names_are_wrapped_between_words_not_cut():
    name = "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดสระแก้ว"  # 54 characters
    bridges = pd.DataFrame({"org_id": ["A"], "name": [name], "rank": [1], "betweenness": [0.4]})
    fig = figures.render_top_bridges(bridges)
    label = fig.axes[0].get_yticklabels()[0].get_text()
    caption = " ".join(t.get_text() for t in fig.texts)
    xlabel = fig.axes[0].get_xlabel()
    plt.close(fig)
    assert "…" not in label and label.replace("\n", "") == name and label.count("\n") == 1
    assert "betweenness" not in xlabel and "share of the shortest paths" in xlabel  # plain words on the axis
    assert "Freeman 1977" in caption and "bridges.csv" in caption  # the method in the caption
