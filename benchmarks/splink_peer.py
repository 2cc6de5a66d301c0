"""Splink 5 as the peer of stakemap's resolver, for benchmarks/bench_resolve.py --splink.

An optional benchmark extra, never a run-time dependency: ``pip install splink==5.0.0``
(it brings duckdb). Set up as Splink's documentation recommends for deduplication [1]_:
u from random pairs, m by EM on two blocking rules, term-frequency adjustment on exact
names, null-aware comparisons, clustering at match probability 0.9. Names are split by
stakemap's own :func:`analysis.resolve.names.split_name` so that both tools compare the
same first names and surnames. Place is given as Splink users commonly give it: tambon,
district and province as three comparisons (see FIELD_NOTES on what that costs). Given the
organisations table, a line that gives no district of its own takes its roster
organisation's district and tambon (and the district's province), the data preparation a
Splink user would do, and the same evidence stakemap reads as "organisation's place".

References
----------
.. [1] Linacre, R. et al. (2022). Splink: free software for probabilistic record linkage at
   scale. *International Journal of Population Data Science* 7(3); Splink 5 documentation,
   "Deduplication" tutorial.
"""

import logging

import pandas as pd

from analysis.resolve.people import build_features

#: Clustering threshold (the issue's comparison used 0.9).
MATCH_PROBABILITY = 0.9


def resolve_with_splink(people: pd.DataFrame, organisations: pd.DataFrame | None = None,
                        seed: int = 1) -> pd.DataFrame:
    """record_id, person_id for every record, as Splink clusters them; with
    ``organisations``, lines without a district are placed by their roster's organisation."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    for name in ["splink", *logging.root.manager.loggerDict]:  # Splink's modules set their own levels
        if name.startswith("splink"):
            logging.getLogger(name).setLevel(logging.ERROR)
    records = build_features(people, organisations)
    own = records["district_code"] != ""
    district = records["district_code"].where(own, records["org_district"])
    tambon = records["tambon_code"].where(own, records["org_tambon"])
    province = records["province_code"].where(records["province_code"] != "", district.str[:2])
    frame = pd.DataFrame({
        "unique_id": records["record_id"],
        "first": records["first"], "last": records["last"],
        "first_sound": records["first_sound"], "last_sound": records["last_sound"],
        "phone": records["phone"], "email": records["email"], "org_id": records["org_id"],
        "tambon": tambon, "district": district, "province": province,
    }).replace("", None)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first").configure(term_frequency_adjustments=True),
            cl.NameComparison("last").configure(term_frequency_adjustments=True),
            cl.ExactMatch("phone"),
            cl.ExactMatch("email"),
            cl.ExactMatch("tambon"),
            cl.ExactMatch("district"),
            cl.ExactMatch("province"),
            cl.ExactMatch("org_id"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("last"), block_on("first", "district"), block_on("phone"),
            block_on("first_sound", "last_sound"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings)
    linker.training.estimate_probability_two_random_records_match([block_on("first", "last")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("last"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first", "district"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=MATCH_PROBABILITY).as_pandas_dataframe()
    return pd.DataFrame({"record_id": clusters["unique_id"].astype(str),
                         "person_id": clusters["cluster_id"].astype(str)})
