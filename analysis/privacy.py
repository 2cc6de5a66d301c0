"""What ``--public`` output hides (Thailand's PDPA): phones, e-mails, record ids, private people.

A person is named in public output only when they hold a *public role* (see
:data:`PUBLIC_ROLES` and docs/privacy.md); everyone else is shown by a
label made from their person id, the same in every table and view of a run.

Contacts and national ids typed *inside* text (a name, a role, a note: "ประธาน โทร
081-234-5678") are hidden too: :func:`redact_text` replaces them in every text cell of
every public table and every text attribute of the public graph.
"""

import re

import pandas as pd

#: Tables not written at all in public mode: they exist to hold record ids and contacts.
PRIVATE_TABLES = ("persons", "match_review")

#: Columns that hold a person's name.
NAME_COLUMNS = ("person_name",)

HIDDEN = "(ซ่อน / hidden)"

#: Roles held in public, matched as substrings of the role as written (case-insensitive), so
#: ``ผอ.`` covers ผอ.รพ.สต. and ผอ.โรงเรียน, ``ประธาน`` รองประธาน, ``นายก`` นายก อบต.: titles whose
#: holder's name is on public notices and signboards already. Grouped as docs/privacy.md lists
#: them; the titles are those of the rosters offices keep (Local Administration Act 1914 for
#: village and tambon offices; Ministry of Public Health and Office of the Basic Education
#: Commission for heads of health centres and schools).
PUBLIC_ROLES = (
    # chairs and vice-chairs of committees, councils and funds
    "ประธาน", "chair", "president",
    # village and tambon heads and their officers
    "กำนัน", "ผู้ใหญ่บ้าน", "ผญบ.", "แพทย์ประจำตำบล", "kamnan", "village head",
    # elected local government: executives and council members
    "นายก", "ส.อบต.", "สมาชิกสภาองค์การบริหารส่วนตำบล", "สมาชิกสภาเทศบาล", "ส.ท.", "mayor",
    # heads of offices: directors (ผอ.รพ.สต., ผอ.โรงเรียน), health centres, schools
    "ผู้อำนวยการ", "ผอ.", "หัวหน้าสถานีอนามัย", "สาธารณสุขอำเภอ", "สาธารณสุขจังหวัด", "ครูใหญ่", "อาจารย์ใหญ่",
    "director", "headmaster", "head teacher", "principal",
    # district and province officials
    "ปลัด", "นายอำเภอ", "ผู้ว่าราชการ", "พัฒนาการอำเภอ", "พัฒนาการจังหวัด", "เกษตรอำเภอ", "ท้องถิ่นอำเภอ",
    "หัวหน้าส่วนราชการ", "district chief", "governor",
)

# Python's \d also matches Thai digits (๐–๙), so these catch numbers typed either way.
#: A Thai national id: 13 digits, often grouped 1-4-5-2-1 (Civil Registration Act 1991 format).
NATIONAL_ID = re.compile(r"(?<!\d)\d[ -]?\d{4}[ -]?\d{5}[ -]?\d{2}[ -]?\d(?!\d)")
#: A Thai phone number in any common layout: 0 or +66, a 1–2 digit area or mobile prefix
#: (bracketed or not), then 3 + 3–4 digits, groups split by a space, dash or dot (the
#: numbering plan of :func:`analysis.ingest.normalise.normalise_phone`).
PHONE = re.compile(r"(?<![\d+])\(?(?:\+?(?:66|๖๖)[ -]?|[0๐])\d{1,2}\)?[ .-]?\d{3}[ .-]?\d{3,4}(?!\d)")
#: An e-mail address: anything@label.label, as :func:`analysis.ingest.normalise.normalise_email` reads it.
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")


def public_name(person_id: str) -> str:
    """The label a person without a public role gets in public output.

    Examples
    --------
    >>> public_name("P-3f2a9c1d07")
    'บุคคล P-3f2a9c1d07'
    """
    return f"บุคคล {person_id}"


def redact_text(text: str) -> str:
    """``text`` with every national id, phone number and e-mail address inside it hidden.

    Examples
    --------
    >>> redact_text("ประธาน โทร 081-234-5678, a.b@x.co.th, บัตร 1-2345-67890-12-3, งบ 300000")
    'ประธาน โทร (ซ่อน / hidden), (ซ่อน / hidden), บัตร (ซ่อน / hidden), งบ 300000'
    """
    for pattern in (NATIONAL_ID, PHONE, EMAIL):
        text = pattern.sub(HIDDEN, text)
    return text


def redact_column(values: pd.Series) -> pd.Series:
    """:func:`redact_text` on every text cell of a column; other cells as they are."""
    return values.map(lambda v: redact_text(v) if isinstance(v, str) else v)


def mask_tables(tables: dict[str, pd.DataFrame], public_person_ids: set[str]) -> dict[str, pd.DataFrame]:
    """The tables as ``--public`` writes them.

    Drops :data:`PRIVATE_TABLES`; replaces the names of people without a public role; hides
    the value of every quarantined cell (it may be a phone number or a name); hides every
    national id, phone number and e-mail address typed inside any text (:func:`redact_text`).
    """
    masked = {}
    for name, table in tables.items():
        if name in PRIVATE_TABLES:
            continue
        table = table.copy()
        if "person_id" in table.columns:
            for column in NAME_COLUMNS:
                if column in table.columns:
                    is_private = ~table["person_id"].isin(public_person_ids)
                    table.loc[is_private, column] = table.loc[is_private, "person_id"].map(public_name)
        if name == "quarantine" and "value" in table.columns:
            table["value"] = HIDDEN
        for column in table.columns:
            if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
                table[column] = redact_column(table[column])
        masked[name] = table
    return masked
