"""Many hats: the persons who serve several agencies, give and receive, or hold a tambon's work.

Three measures, defined in docs/definitions.md and below:

- **Many hats** (CONTRACT §2): the agencies a person serves, through a roster or a project.
- **Giver and receiver**: a person on the funder's side of a payment and on the receiving side
  of the same payment, the "one person, two camps" of seed 002.
- **Concentration**: the share of a tambon's projects that pass through one person.
"""

import pandas as pd

from analysis.agencies import find_agencies, find_project_agencies, find_roots
from analysis.dataset import Dataset, lookup
from analysis.network import name_area
from analysis.ingest.schema import AGENCY_KINDS

HATS_COLUMNS = ["person_id", "person_name", "n_agencies", "n_organisations", "n_projects", "agencies", "roles",
                "is_giver_receiver", "giver_receiver_detail"]
CONCENTRATION_COLUMNS = ["tambon_code", "tambon", "person_id", "person_name", "n_projects", "n_tambon_projects",
                         "share"]

#: A person is listed in concentration.csv when at least half of a tambon's projects pass
#: through them: from there on one person holds as many of the tambon's projects as everyone
#: else together, so their leaving, or their conflict of interest, touches most of its work.
MIN_SHARE = 0.5

#: ...and at least two projects: in a tambon with one project its people always hold 100 %,
#: which says nothing about concentration.
MIN_PROJECTS = 2


def join_by(keys, values, sep: str = "|") -> dict:
    """key -> its distinct non-empty text values, sorted and joined (a dict loop: pandas'
    groupby with a Python function is 20× slower at 300,000 rows).

    Examples
    --------
    >>> join_by(["P-1", "P-1", "P-2"], pd.Series(["ประธาน", "กรรมการ", None]))
    {'P-1': 'กรรมการ|ประธาน'}
    """
    groups: dict = {}
    keys = keys.tolist() if isinstance(keys, pd.Series) else keys
    for key, value in zip(keys, values.tolist()):
        if isinstance(value, str) and value:
            groups.setdefault(key, set()).add(value)
    return {key: sep.join(sorted(group)) for key, group in groups.items()}


def _look_up(keys: pd.Series, mapping) -> pd.Series:
    """``keys.map(mapping)`` as object dtype: an empty map is float64, which merge refuses
    to join with text keys."""
    return keys.map(mapping).astype(object)


def find_roster(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """person_id, org_id, role of every used people record on an organisation's roster."""
    people = dataset["people"][["record_id", "org_id", "role"]].merge(persons[["record_id", "person_id"]],
                                                                       on="record_id")
    return people.dropna(subset=["org_id"])[["person_id", "org_id", "role"]]


def find_taking_part(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """person_id, project_id, role for each participation row naming a person's record."""
    participation = dataset["participation"].dropna(subset=["record_id"])
    rows = participation[["project_id", "record_id", "role"]].merge(persons[["record_id", "person_id"]],
                                                                    on="record_id")
    return rows[["person_id", "project_id", "role"]]


def find_served_agencies(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """person_id, agency_id: every agency each person serves (CONTRACT §2), no repeats.

    A person serves an agency through a roster record on an organisation under it, or by
    taking part in a project that an organisation under it leads or funds.
    """
    agencies = find_agencies(dataset["organisations"])
    roster = find_roster(dataset, persons)
    by_roster = pd.DataFrame({"person_id": roster["person_id"], "agency_id": roster["org_id"].map(agencies)})
    by_project = find_taking_part(dataset, persons).merge(find_project_agencies(dataset, agencies), on="project_id")
    served = pd.concat([by_roster, by_project[["person_id", "agency_id"]]], ignore_index=True).dropna()
    return served.drop_duplicates().reset_index(drop=True)


def _count_by_person(df: pd.DataFrame, column: str) -> pd.Series:
    return df.drop_duplicates(["person_id", column]).groupby("person_id")[column].size()


def compute_hats(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """hats.csv (CONTRACT §4): one row per resolved person, most hats first.

    Every resolved person is listed, with ``n_agencies`` 0 when they serve none, so the table
    also answers "how many people serve only one agency". ``n_organisations`` counts the
    organisations whose rosters hold one of their records, ``n_projects`` the projects they
    take part in (participation rows naming one of their records). ``agencies`` holds the
    agencies' names and ``roles`` the roles written on their roster and participation rows,
    each sorted and joined by ``|``. ``is_giver_receiver`` and ``giver_receiver_detail`` are
    from :func:`find_givers_receivers`.

    Order: n_agencies, n_organisations, n_projects (all descending), then person_id.
    """
    organisations = dataset["organisations"]
    names = lookup(organisations, "org_id", "name")
    people = persons.groupby("person_id", sort=True)["person_name"].first()
    served = find_served_agencies(dataset, persons)
    roster, taking_part = find_roster(dataset, persons), find_taking_part(dataset, persons)
    roles = pd.concat([roster[["person_id", "role"]], taking_part[["person_id", "role"]]])
    givers_receivers = find_givers_receivers(dataset, persons)
    hats = pd.DataFrame({
        "person_id": people.index,
        "person_name": people.to_numpy(),
        "n_agencies": people.index.map(_count_by_person(served, "agency_id")),
        "n_organisations": people.index.map(_count_by_person(roster, "org_id")),
        "n_projects": people.index.map(_count_by_person(taking_part, "project_id")),
        "agencies": people.index.map(join_by(served["person_id"], served["agency_id"].map(names))),
        "roles": people.index.map(join_by(roles["person_id"], roles["role"])),
        "giver_receiver_detail": people.index.map(join_by(givers_receivers["person_id"], givers_receivers["detail"])),
    })
    for column in ("n_agencies", "n_organisations", "n_projects"):
        hats[column] = hats[column].fillna(0).astype(int)
    for column in ("agencies", "roles", "giver_receiver_detail"):
        hats[column] = [value if isinstance(value, str) else "" for value in hats[column]]
    hats["is_giver_receiver"] = hats["giver_receiver_detail"] != ""
    hats = hats.sort_values(["n_agencies", "n_organisations", "n_projects", "person_id"],
                            ascending=[False, False, False, True], kind="stable")
    return hats[HATS_COLUMNS].reset_index(drop=True)


def find_givers_receivers(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """Persons on both sides of one payment: person_id, funder_id, receiver, detail.

    A payment is a funding row. Its **giver side** is the funder's own offices: the funder
    and every organisation with the same ``parent_id`` root whose kind is ``agency``,
    ``fund`` or ``local_government`` (a provincial office, a branch). Community bodies
    registered under an agency (a tambon council under CODI) are not its offices: their
    members receive, they do not decide. Its **receiver side** is, for a project, the people who take
    part in it or sit on the roster of its lead organisation; for a recipient organisation,
    the people on its roster. A person on both sides gives and receives. Payments inside one
    tree (CODI paying its own provincial office's project) are the agency's own delivery,
    not a conflict, and are left out.

    ``detail`` reads ``พอช. → J3 บ้านมั่นคง (takes part; roster of พอช. ภาคใต้)``.
    """
    organisations = dataset["organisations"]
    names = lookup(organisations, "org_id", "name")
    roots = {org_id: root or org_id for org_id, root in find_roots(organisations).items()}
    roster = find_roster(dataset, persons)
    roster = roster.assign(root=_look_up(roster["org_id"], roots))
    offices = set(organisations.loc[organisations["kind"].isin(AGENCY_KINDS), "org_id"])
    givers = roster[roster["org_id"].isin(offices)]
    givers = givers.rename(columns={"org_id": "giver_org_id", "root": "funder_root"})
    projects = dataset["projects"].set_index("project_id")
    payments = _find_receivers(dataset, persons, roster, projects, roots,
                               givers[["person_id", "funder_root"]].drop_duplicates())
    both = payments.merge(givers[["person_id", "giver_org_id", "funder_root"]], on=["person_id", "funder_root"])
    if both.empty:
        return pd.DataFrame(columns=["person_id", "funder_id", "receiver", "detail"])
    keys = list(zip(both["person_id"].tolist(), both["funder_id"].tolist(), both["receiver"].tolist()))
    hows = join_by(keys, both["how"], "; ")
    giver_orgs = join_by(keys, both["giver_org_id"].map(names), ", ")
    out = pd.DataFrame(sorted(hows), columns=["person_id", "funder_id", "receiver"])
    out["detail"] = [f"{names[key[1]]} → {key[2]} ({hows[key]}; roster of {giver_orgs[key]})" for key in sorted(hows)]
    return out.sort_values(["person_id", "detail"]).reset_index(drop=True)


def _find_receivers(dataset, persons, roster, projects, roots, giver_roots) -> pd.DataFrame:
    """One row per (payment, person on its receiving side who also sits on a roster in the
    payer's tree): person_id, funder_id, funder_root, receiver (label), receiver_root, how.

    ``giver_roots`` (person_id, funder_root) are the people on an office's roster and that
    office's tree. Each join keeps only them, and payments inside one tree are left out
    before the joins, so no row is made that the join with the givers would drop
    (nationally, 3 million rows and 1 GB). A project without a lead organisation belongs
    to no tree: it is never in-house.
    """
    names = lookup(dataset["organisations"], "org_id", "name")
    funding = dataset["funding"]
    funding = funding.assign(funder_root=_look_up(funding["funder_id"], roots))
    to_project = funding.dropna(subset=["project_id"])
    to_project = to_project.assign(
        lead_org_id=_look_up(to_project["project_id"], projects["lead_org_id"]),
        receiver=to_project["project_id"] + " " + to_project["project_id"].map(projects["title"]),
    )
    to_project = to_project.assign(receiver_root=_look_up(to_project["lead_org_id"], roots).fillna(""))
    to_project = to_project[to_project["funder_root"] != to_project["receiver_root"]]
    taking_part = find_taking_part(dataset, persons)[["person_id", "project_id"]].merge(giver_roots, on="person_id")
    by_taking_part = to_project.merge(taking_part, on=["project_id", "funder_root"]).assign(how="takes part")
    on_rosters = roster[["person_id", "org_id"]].merge(giver_roots, on="person_id")
    by_lead = to_project.merge(on_rosters, left_on=["lead_org_id", "funder_root"], right_on=["org_id", "funder_root"])
    by_lead = by_lead.assign(how="roster of lead " + _look_up(by_lead["org_id"], names))
    to_org = funding[funding["project_id"].isna()].dropna(subset=["recipient_org_id"])
    to_org = to_org.assign(receiver=_look_up(to_org["recipient_org_id"], names),
                           receiver_root=_look_up(to_org["recipient_org_id"], roots).fillna(""))
    to_org = to_org[to_org["funder_root"] != to_org["receiver_root"]]
    by_recipient = to_org.merge(on_rosters, left_on=["recipient_org_id", "funder_root"], right_on=["org_id", "funder_root"])
    by_recipient = by_recipient.assign(how="on its roster")
    columns = ["person_id", "funder_id", "funder_root", "receiver", "receiver_root", "how"]
    return pd.concat([df[columns] for df in (by_taking_part, by_lead, by_recipient)], ignore_index=True)


def find_project_people(dataset: Dataset, persons: pd.DataFrame) -> pd.DataFrame:
    """person_id, project_id: the persons a project passes through — those who take part in
    it and those on the roster of its lead organisation — without repeats."""
    projects = dataset["projects"].dropna(subset=["lead_org_id"])
    roster = find_roster(dataset, persons)
    by_lead = projects[["project_id", "lead_org_id"]].merge(roster, left_on="lead_org_id", right_on="org_id")
    by_taking_part = find_taking_part(dataset, persons)
    both = pd.concat([by_lead[["person_id", "project_id"]], by_taking_part[["person_id", "project_id"]]])
    return both.drop_duplicates().reset_index(drop=True)


def compute_concentration(dataset: Dataset, persons: pd.DataFrame, gazetteer=None, *,
                          min_share: float = MIN_SHARE, min_projects: int = MIN_PROJECTS) -> pd.DataFrame:
    """concentration.csv: persons through whom a large share of one tambon's projects pass.

    ``n_tambon_projects`` counts the projects working in the tambon (projects placed only at
    district level or above are not counted: they belong to no one tambon); ``n_projects``
    those among them that pass through the person (:func:`find_project_people`);
    ``share = n_projects / n_tambon_projects``, rounded to 4 places. Rows with
    ``share >= min_share`` and ``n_projects >= min_projects`` are listed (:data:`MIN_SHARE`,
    :data:`MIN_PROJECTS` say why), highest share first, then n_projects (descending),
    tambon_code and person_id.
    """
    projects = dataset["projects"].dropna(subset=["tambon_code"])[["project_id", "tambon_code"]]
    n_tambon = projects.groupby("tambon_code")["project_id"].nunique().rename("n_tambon_projects")
    through = find_project_people(dataset, persons).merge(projects, on="project_id")
    # A (person, project) pair comes once and a project has one tambon (project_id is the
    # table's key), so a group's rows are its distinct projects: counted, not hashed again.
    counts = through.groupby(["tambon_code", "person_id"]).size().rename("n_projects").reset_index()
    counts = counts.merge(n_tambon, on="tambon_code")
    counts["share"] = (counts["n_projects"] / counts["n_tambon_projects"]).round(4)
    listed = counts[(counts["share"] >= min_share) & (counts["n_projects"] >= min_projects)].copy()
    if listed.empty:
        return pd.DataFrame(columns=CONCENTRATION_COLUMNS)
    if gazetteer is None:
        from analysis.places import load_gazetteer

        gazetteer = load_gazetteer()
    names = persons.groupby("person_id")["person_name"].first()
    listed["tambon"] = [name_area(gazetteer, code) for code in listed["tambon_code"]]
    listed["person_name"] = listed["person_id"].map(names)
    listed = listed.sort_values(["share", "n_projects", "tambon_code", "person_id"],
                                ascending=[False, False, True, True], kind="stable")
    return listed[CONCENTRATION_COLUMNS].reset_index(drop=True)
