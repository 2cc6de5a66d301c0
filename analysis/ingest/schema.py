"""The input format (CONTRACT §1) as data: tables, their columns, keys and references.

The readers, the validator, the sample generator and the docs all take the format from
here, so there is one place to change it.
"""

from dataclasses import dataclass, field

ORG_KINDS = (
    "agency",
    "fund",
    "local_government",
    "community_council",
    "community_org",
    "network",
    "ngo",
    "academic",
    "private",
    "other",
)

#: Kinds whose root organisation counts as an *agency* (CONTRACT §2).
AGENCY_KINDS = ("agency", "fund", "local_government")

PLACE_COLUMNS = ("province", "district", "tambon")


@dataclass(frozen=True)
class Table:
    """One table of a dataset.

    Attributes
    ----------
    name : the table (file or sheet) name.
    key : the column that must be unique, or None.
    required : columns that must exist and hold a value on every row.
    optional : other columns of the contract.
    one_of : groups of columns of which each row needs at least one value.
    references : column -> (table, column) it must point at.
    dates, numbers : columns read as dates / numbers.
    needed : optional columns the analysis needs: an unreadable value quarantines the row
        instead of being ignored.
    private : optional columns read as evidence only and never written to any output
        (a national ID number, CONTRACT §1 v2); not in :attr:`columns`, so tables that
        list the contract's columns (the sample, the exports) leave them out.
    """

    name: str
    key: str | None
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()
    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    needed: tuple[str, ...] = ()
    private: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every column a file may hold under its contract name, private ones included."""
        return self.columns + self.private


TABLES: dict[str, Table] = {
    "organisations": Table(
        name="organisations",
        key="org_id",
        required=("org_id", "name", "kind"),
        optional=("parent_id", *PLACE_COLUMNS, "aliases"),
        references={"parent_id": ("organisations", "org_id")},
    ),
    "people": Table(
        name="people",
        key="record_id",
        required=("record_id", "source", "name"),
        optional=("org_id", "role", "phone", "email", *PLACE_COLUMNS),
        private=("national_id",),
        references={"org_id": ("organisations", "org_id")},
    ),
    "projects": Table(
        name="projects",
        key="project_id",
        required=("project_id", "title"),
        optional=(
            "description",
            "category",
            "lead_org_id",
            *PLACE_COLUMNS,
            "start",
            "end",
            "budget_thb",
        ),
        references={"lead_org_id": ("organisations", "org_id")},
        dates=("start", "end"),
        numbers=("budget_thb",),
    ),
    "funding": Table(
        name="funding",
        key=None,
        required=("funder_id",),
        optional=("project_id", "recipient_org_id", "amount_thb", "stream", "date"),
        one_of=(("project_id", "recipient_org_id"),),
        references={
            "funder_id": ("organisations", "org_id"),
            "project_id": ("projects", "project_id"),
            "recipient_org_id": ("organisations", "org_id"),
        },
        dates=("date",),
        numbers=("amount_thb",),
        needed=("amount_thb",),
    ),
    "participation": Table(
        name="participation",
        key=None,
        required=("project_id",),
        optional=("record_id", "org_id", "role"),
        one_of=(("record_id", "org_id"),),
        references={
            "project_id": ("projects", "project_id"),
            "record_id": ("people", "record_id"),
            "org_id": ("organisations", "org_id"),
        },
    ),
}

#: Tables a dataset must have.
REQUIRED_TABLES = ("organisations", "people")

#: The order tables are read and checked in (references point backwards).
TABLE_ORDER = ("organisations", "people", "projects", "funding", "participation")

#: Columns every normalised table carries besides its contract columns.
ROW_COLUMN = "row"  # the row number as a spreadsheet shows it (header = row 1)

QUARANTINE_COLUMNS = ("table", "row", "column", "value", "reason", "action")
