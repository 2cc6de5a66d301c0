"""Synthetic datasets modelled on the field, with the truth written beside them.

Every test and benchmark of the project runs on these. A sample is a world of real
geography (geothai), the organisations and funding streams of Thai community development
(DOMAIN.md, seeds 000–004), people on many rosters written many ways, projects that
duplicate each other or only look as if they do, and a handful of bad rows per table; the
``truth`` says what a correct run must find. Two quarters (2026Q2, 2026Q3) show the same
world three months apart.

Modules, in the order a world is built: :mod:`~analysis.sample.world` (places,
organisations, people, rosters), :mod:`~analysis.sample.projects` (projects, money, who
takes part, overlap traps), :mod:`~analysis.sample.changes` (the second quarter),
:mod:`~analysis.sample.sheets` and :mod:`~analysis.sample.spelling` (writing it as offices
do), :mod:`~analysis.sample.faults` (bad rows), :mod:`~analysis.sample.truth`.

Examples
--------
>>> sample = generate_sample("tambon", seed=1)
>>> sorted(sample.tables)
['funding', 'organisations', 'participation', 'people', 'projects']
>>> sorted(sample.truth)
['bad_rows', 'changes', 'duplicate_groups', 'hats', 'not_duplicates', 'persons', 'traps']
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.sample import changes, faults, projects, sheets, truth, world
from analysis.sample.changes import QUARTERS
from analysis.sample.world import SCALES, World

__all__ = ["QUARTERS", "SCALES", "Sample", "generate_sample", "write_sample"]

#: Sub-streams of the seed, one per step, so that changing one step leaves the others as
#: they were (numpy SeedSequence with the step number as a second word).
STEPS = {"orgs": 1, "names": 2, "rosters": 3, "people_changes": 4, "projects": 5, "project_changes": 6,
         "funding": 7, "participation": 8, "ids": 9, "faults": 10}


@dataclass
class Sample:
    """One quarter of a synthetic dataset.

    Attributes
    ----------
    tables : table name → DataFrame with the contract's columns, every cell a string
        ('' when empty), rows in file order.
    truth : name → DataFrame: persons, hats, duplicate_groups, not_duplicates, traps,
        bad_rows, and changes (for 2026Q3: what changed since 2026Q2).
    params : scale, seed, noise and quarter that made it.
    """

    tables: dict[str, pd.DataFrame]
    truth: dict[str, pd.DataFrame]
    params: dict = field(default_factory=dict)


def rng_for(seed: int, step: str) -> np.random.Generator:
    return np.random.default_rng([seed, STEPS[step]])


def build_world(scale: str, seed: int, shape: str = "dense") -> World:
    """The true world of a scale, seed and network shape (both quarters); the same for every
    noise level."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    spec = world.shape_spec(SCALES[scale], shape)
    places = world.build_places(spec)
    orgs = world.build_orgs(places, spec, rng_for(seed, "orgs"))
    humans, rosters, lines, traps = world.build_people(places, orgs, spec, rng_for(seed, "names"),
                                                       rng_for(seed, "rosters"))
    humans, lines = changes.plant_people_changes(humans, lines, orgs, places, rng_for(seed, "people_changes"))
    all_projects, groups, relations, gap = projects.build_projects(places, orgs, spec, rng_for(seed, "projects"))
    all_projects, groups = changes.plant_project_changes(all_projects, groups, relations, gap, places, orgs,
                                                         rng_for(seed, "project_changes"))
    co_funded = relations.loc[relations["relation"] == "co_funding", "a"].to_numpy()
    funding = projects.build_funding(all_projects, orgs, co_funded, rng_for(seed, "funding"))
    participation = projects.build_participation(all_projects, humans, lines, rng_for(seed, "participation"),
                                                 spec.n_participants_mean)
    lines = sheets.assign_ids(lines, all_projects, rng_for(seed, "ids"))
    return World(spec=spec, places=places, orgs=orgs, humans=humans, rosters=rosters, lines=lines,
                 projects=all_projects, funding=funding, participation=participation, groups=groups,
                 relations=relations, traps=traps)


def write_world(true_world: World, seed: int, noise: float) -> dict[str, pd.DataFrame]:
    """Both quarters' rows as written, with the planted bad rows."""
    if noise < 0:
        raise ValueError(f"noise must be 0 or more, not {noise}")
    rendered = sheets.render_world(true_world, noise, seed)
    return faults.plant_faults(rendered, true_world, rng_for(seed, "faults"))


def make_quarter(true_world: World, written: dict, quarter: str) -> tuple[dict, dict]:
    """One quarter's tables (with helper columns) and its truth (without changes)."""
    tables = sheets.select_quarter(written, true_world, quarter)
    return tables, truth.build_truth(tables, true_world)


def make_sample(true_world: World, written: dict, quarter: str, params: dict) -> Sample:
    """A quarter as a :class:`Sample`; the later quarter's truth says what changed."""
    tables, quarter_truth = make_quarter(true_world, written, quarter)
    coverage = truth.find_coverage(tables)
    if quarter == QUARTERS[0]:
        quarter_truth["changes"] = truth.find_changes({**quarter_truth, "coverage": coverage},
                                                      {**quarter_truth, "coverage": coverage})
    else:
        before_tables, before = make_quarter(true_world, written, QUARTERS[0])
        before["coverage"] = truth.find_coverage(before_tables)
        quarter_truth["changes"] = truth.find_changes(before, {**quarter_truth, "coverage": coverage})
    contract = {name: sheets.contract_columns(name, frame) for name, frame in tables.items()}
    return Sample(tables=contract, truth=quarter_truth, params=dict(params, quarter=quarter))


def generate_sample(scale: str = "province", seed: int = 1, noise: float = 1.0, quarter: str | None = None,
                    shape: str = "dense") -> Sample:
    """A synthetic dataset and its truth.

    Parameters
    ----------
    scale : ``tambon`` (Wang Nam Yen district, Sa Kaeo: ~150 people records), ``province``
        (Sa Kaeo: ~2,600 records, ~450 organisations, ~400 projects) or ``national`` (all
        7,436 tambons: ~300,000 records, ~60,000 organisations, ~100,000 projects).
    seed : the same seed gives the same world and the same bytes.
    noise : how often values are written in variant forms: 0 clean (one spelling per
        person, ISO dates, plain numbers), 1 realistic, 2 heavy. Planted traps and bad rows
        are there at every level; the world itself does not change with noise.
    quarter : ``2026Q2`` (default) or ``2026Q3``, the same world three months later.
    shape : the organisation network's shape (:data:`analysis.sample.world.SHAPES`):
        ``dense`` (default) or ``sparse`` (fewer rosters per person, fewer ties per
        organisation, as in an independent national dataset).
    """
    quarter = quarter or QUARTERS[0]
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be one of {', '.join(QUARTERS)}, not {quarter!r}")
    true_world = build_world(scale, seed, shape)
    written = write_world(true_world, seed, noise)
    return make_sample(true_world, written, quarter, dict(scale=scale, seed=seed, noise=noise, shape=shape))


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 with BOM (how Excel on Thai Windows saves CSV), '\\n' line ends, no index.

    Not :func:`analysis.render.tables.write_csv`: an input file keeps what users type
    (``+66 81 …``, ``-5,000``) instead of neutralising formula-like cells.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def write_quarter(sample: Sample, folder: Path) -> None:
    for name, frame in sample.tables.items():
        write_table(frame, folder / f"{name}.csv")
    for name, frame in sample.truth.items():
        write_table(frame, folder / "truth" / f"{name}.csv")


def write_sample(out: Path, scale: str = "province", seed: int = 1, noise: float = 1.0,
                 quarter: str | None = None, shape: str = "dense") -> Path:
    """Write a sample: ``out/<table>.csv`` and ``out/truth/*.csv`` for one quarter, or, when
    ``quarter`` is None, both quarters in ``out/2026Q2/`` and ``out/2026Q3/`` and a README.

    Returns ``out``. Same arguments → byte-identical files.
    """
    out = Path(out)
    true_world = build_world(scale, seed, shape)
    written = write_world(true_world, seed, noise)
    params = dict(scale=scale, seed=seed, noise=noise, shape=shape)
    if quarter is not None:
        write_quarter(make_sample(true_world, written, quarter, params), out)
        return out
    counts = {}
    for q in QUARTERS:
        sample = make_sample(true_world, written, q, params)
        write_quarter(sample, out / q)
        counts[q] = {name: len(frame) for name, frame in sample.tables.items()}
    (out / "README.md").write_text(describe_sample(scale, seed, noise, counts, shape), encoding="utf-8")
    return out


def describe_sample(scale: str, seed: int, noise: float, counts: dict, shape: str = "dense") -> str:
    """The README written beside a two-quarter sample."""
    noise_flag = "" if noise == 1.0 else f"  # noise={noise}: call analysis.sample.write_sample"
    noise_flag = ("" if shape == "dense" else f" --shape {shape}") + noise_flag
    rows = "\n".join(f"| {q} | " + " | ".join(str(c[t]) for t in sheets.SORT_KEYS) + " |" for q, c in counts.items())
    return README.format(scale=scale, seed=seed, noise_flag=noise_flag, rows=rows,
                         header=" | ".join(sheets.SORT_KEYS))


README = """# Synthetic sample ({scale} scale, seed {seed})

**Everything here is synthetic.** The places are real (official codes and names from the
geothai package: "GeoThai data, Pongsakorn Thipayanate", CC BY 4.0); every person, phone
number, organisation roster, project and amount is made up by `analysis/sample/`.

Made with:

    stakemap sample --out data/sample --scale {scale} --seed {seed}{noise_flag}

The same command gives the same bytes.

## What is in it
Two quarters of one world, three months apart; each folder is a dataset (CONTRACT §1):

| quarter | {header} |
|---|---|---|---|---|---|
{rows}

`truth/` beside each dataset says what a correct run must find:

| file | columns | meaning |
|---|---|---|
| persons.csv | record_id, true_person_id | the human behind every used people record |
| hats.csv | true_person_id, n_agencies, agencies | agencies each person serves (CONTRACT §2) |
| duplicate_groups.csv | project_id, true_group_id | planted duplicate projects |
| not_duplicates.csv | project_a, project_b, relation | look-alikes that are not duplicates: `co_funding` (one project, several funders: a = b), `later_phase`, `template` |
| traps.csv | trap, id_a, id_b, detail | spouses, namesakes, misspelled_surname, many_hats, area_contains, reexported_record |
| bad_rows.csv | table, row, column, value, action, fault | planted bad rows (row numbers as a spreadsheet shows them, header = 1) |
| changes.csv | kind, id, change, before, after | in 2026Q3: what changed since 2026Q2 (CONTRACT §5 words; ids are true_person_id, project ids joined by `\\|`, tambon codes) |

Record ids stay the same between quarters (the same rosters re-exported), except one
council roster re-exported with new record ids in 2026Q3 (`reexported_record` in traps).
"""
