"""Builders of hostile datasets, shared by the robustness, hostile-content and privacy tests.

A hostile dataset is a valid dataset (every table, rows that pass the checks, so that the
strings reach every output) in which every text field carries a string that would run as
markup, script, a template or a spreadsheet formula if an output used it unescaped. The
strings are the usual probes of the OWASP cheat sheets (XSS Filter Evasion, CSV Injection)
plus the two traps pyvis 0.3.2 has (FIELD_NOTES.md: a title containing ``href`` switches
its tooltip to ``innerHTML``).
"""

import csv
import html
import zipfile
from pathlib import Path

#: One probe per kind of injection; each reads as text when shown as text.
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    "{{7*7}}",
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "นาย href สมชาย",
)

#: Probes that a spreadsheet would run as a formula when a cell starts with them (OWASP).
FORMULA_PROBES = tuple(h for h in HOSTILE if h[0] in "=+-@")

#: A real tambon (Tha Sala, Nakhon Si Thammarat), so some rows are placed and drawn in area views.
PLACE = ("นครศรีธรรมราช", "ท่าศาลา", "ท่าศาลา")


def write_table(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV file as Excel writes it (UTF-8 with BOM); cells quoted where needed."""
    path = Path(folder) / f"{name}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_hostile_dataset(folder: Path) -> Path:
    """A dataset whose every text field (ids included) holds a :data:`HOSTILE` probe.

    Per probe ``h`` (index ``i``): an agency ``h A<i>`` and a community group under it;
    two people records of one person (same name) on both rosters, one a chair (ประธาน, a
    public role) so the name is shown even in public output; two projects with the same
    title and place (a duplicate pair); funding with a hostile stream; participation with
    a hostile role. Every other row is placed in :data:`PLACE`; the others carry the probe
    as their place, which the checks list as an unknown place (so quarantine.csv and the
    report's data-quality section carry it too).

    Returns the folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    orgs, people, projects, funding, participation = [], [], [], [], []
    for i, h in enumerate(HOSTILE):
        place = list(PLACE) if i % 2 == 0 else [h, h, h]
        agency, group = f"{h} A{i}", f"{h} G{i}"
        orgs += [[agency, f"{h} หน่วยงาน {i}", "agency", "", *place, f"{h}|{h} ย่อ"],
                 [group, f"{h} กลุ่ม {i}", "community_org", agency, *place, h]]
        name = f"{h} ชื่อ{i}"
        people += [[f"{h} R{i}a", f"{h} list", name, agency, f"ประธาน {h}", h, h, *place],
                   [f"{h} R{i}b", f"{h} roster", name, group, h, "081-234-5678", f"a{i}@example.org", *place]]
        title = f"{h} โครงการบ้านมั่นคง {i}"
        for suffix, lead in (("a", agency), ("b", group)):
            projects.append([f"{h} J{i}{suffix}", title, f"{h} คำอธิบาย", f"{h} ที่อยู่อาศัย", lead, *PLACE,
                             "2024-10-01", "2025-09-30", "100000"])
        funding.append([agency, f"{h} J{i}a", "", "50000", f"{h} stream", "2024-11-01"])
        funding.append([agency, "", group, "20000", f"{h} stream", h])
        participation.append([f"{h} J{i}a", f"{h} R{i}b", "", f"{h} role"])
        participation.append([f"{h} J{i}b", "", group, h])
    write_table(folder, "organisations", ["org_id", "name", "kind", "parent_id", "province", "district", "tambon",
                                          "aliases"], orgs)
    write_table(folder, "people", ["record_id", "source", "name", "org_id", "role", "phone", "email", "province",
                                   "district", "tambon"], people)
    write_table(folder, "projects", ["project_id", "title", "description", "category", "lead_org_id", "province",
                                     "district", "tambon", "start", "end", "budget_thb"], projects)
    write_table(folder, "funding", ["funder_id", "project_id", "recipient_org_id", "amount_thb", "stream", "date"],
                funding)
    write_table(folder, "participation", ["project_id", "record_id", "org_id", "role"], participation)
    return folder


def read_every_file(out: Path) -> dict[str, str]:
    """file (relative to ``out``) -> its text, HTML entities resolved; a workbook's XML parts
    joined. PNG images are left out. What the leak searches of ``--public`` runs read."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.suffix != ".png"):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                text = "\n".join(workbook.read(n).decode("utf-8") for n in workbook.namelist() if n.endswith(".xml"))
        else:
            text = path.read_bytes().decode("utf-8", errors="replace")
        texts[str(path.relative_to(out))] = html.unescape(text)
    return texts
