"""What ``--public`` output hides (Thailand's PDPA): phones, e-mails, record ids, private people.

A person is named in public output only when they hold a *public role* (see
:data:`analysis.network.PUBLIC_ROLES` and docs/privacy.md); everyone else is shown by a
label made from their person id, the same in every table and view of a run.
"""

import pandas as pd

#: Tables not written at all in public mode: they exist to hold record ids and contacts.
PRIVATE_TABLES = ("persons", "match_review")

#: Columns that hold a person's name.
NAME_COLUMNS = ("person_name",)

HIDDEN = "(ซ่อน / hidden)"


def public_name(person_id: str) -> str:
    """The label a person without a public role gets in public output.

    Examples
    --------
    >>> public_name("P-3f2a9c1d07")
    'บุคคล P-3f2a9c1d07'
    """
    return f"บุคคล {person_id}"


def mask_tables(tables: dict[str, pd.DataFrame], public_person_ids: set[str]) -> dict[str, pd.DataFrame]:
    """The tables as ``--public`` writes them.

    Drops :data:`PRIVATE_TABLES`; replaces the names of people without a public role; hides
    the value of every quarantined cell (it may be a phone number or a name).
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
        masked[name] = table
    return masked
