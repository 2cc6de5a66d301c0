"""The aims of community development projects: a small taxonomy and a keyword classifier.

Two projects can pursue the same aim in different words: ซ่อมแซมบ้านผู้มีรายได้น้อย (repairing
low-income houses) and บ้านมั่นคงชนบท (rural secure housing) are both *housing*. Text similarity
misses that; a taxonomy of the field's aims catches it. The taxonomy ships as
``analysis/data/aims.csv`` (one row per aim, keywords separated by ``|``); a user extends or
overrides it with an ``aims.csv`` of the same columns in the dataset folder.

Columns of ``aims.csv``:

=========== ========================================================================
aim_id      short English id (``housing``); a user row with a built-in id replaces it
label_th    Thai label, also a keyword (``ที่อยู่อาศัย``)
label_en    English label, also a keyword (``housing``)
keywords_th Thai keywords, found anywhere in the text (Thai has no word spaces)
keywords_en English keywords, found as whole words (an ``s`` or ``es`` may follow)
exclude     phrases removed before this aim's keywords are looked for (``ผู้มีรายได้น้อย``
            names a target group, not a livelihoods aim)
source      where the aim and its words come from
=========== ========================================================================

The method is dictionary-based content analysis (Krippendorff, *Content Analysis*, 4th ed.,
2019, ch. 11): a text has an aim when it contains one of the aim's keywords. A project's aims
come from its most deliberate field that names any (:func:`build_project_aims`): the category,
else the title, else the description — a description mentions in passing what a title does
not aim at (โรงเรียนผู้สูงอายุ: "…ดูแลสุขภาพผู้สูงอายุ" is elderly care, not a health project).
"""

import functools
import re
from pathlib import Path

import pandas as pd

from analysis.config import PACKAGE_DIR
from analysis.errors import DatasetError
from analysis.ingest.normalise import normalise_text
from analysis.ingest.read import read_text_csv

AIMS_FILE = PACKAGE_DIR / "data" / "aims.csv"
FILE_NAME = "aims.csv"
AIM_COLUMNS = ("aim_id", "label_th", "label_en", "keywords_th", "keywords_en", "exclude", "source")
REQUIRED_COLUMNS = ("aim_id", "label_th", "label_en", "keywords_th")


def _split(cell: str) -> list[str]:
    """Keywords of one cell, normalised, blanks dropped."""
    return [word for word in (normalise_text(part) for part in str(cell).split("|")) if word]


def _read_aims_file(path: Path) -> pd.DataFrame:
    df = read_text_csv(path, REQUIRED_COLUMNS, f"an aims file needs {', '.join(REQUIRED_COLUMNS)}")
    for column in AIM_COLUMNS:
        if column not in df.columns:
            df[column] = ""
    for index, row in df.iterrows():
        for column in ("aim_id", "label_th"):
            if not str(row[column]).strip():
                raise DatasetError(f"{path}, row {index + 2}, column {column}: the value is empty.")
    df["aim_id"] = df["aim_id"].str.strip()
    return df[list(AIM_COLUMNS)]


def load_aims(extra: Path | None = None) -> pd.DataFrame:
    """The aims taxonomy: the built-in one, extended by a user's ``aims.csv``.

    Parameters
    ----------
    extra : a user's ``aims.csv``, or a dataset (folder, or workbook with ``aims.csv`` beside
        it) that may have one. A missing file means no extension. A user row whose ``aim_id``
        is built in replaces the built-in row.

    Returns
    -------
    pd.DataFrame with :data:`AIM_COLUMNS`, one row per aim, sorted by aim_id.

    Raises
    ------
    DatasetError : the user's file has no aim_id / label_th / label_en / keywords_th column,
        or a row without an aim_id or label_th.

    Examples
    --------
    >>> aims = load_aims()
    >>> aims.set_index("aim_id").loc["housing", "label_th"]
    'ที่อยู่อาศัย'
    """
    aims = _read_aims_file(AIMS_FILE)
    if extra is not None:
        path = Path(extra)
        if path.is_dir():
            path = path / FILE_NAME
        elif path.suffix.lower() != ".csv":  # a workbook: the file sits beside it
            path = path.parent / FILE_NAME
        if path.exists():
            user = _read_aims_file(path)
            aims = pd.concat([aims[~aims["aim_id"].isin(user["aim_id"])], user])
    aims = aims.drop_duplicates("aim_id", keep="last")
    return aims.sort_values("aim_id", kind="stable").reset_index(drop=True)


def _aim_patterns(aim: pd.Series) -> tuple[str | None, str]:
    """(regex of phrases to remove, regex of the aim's keywords) for one taxonomy row."""
    thai = _split(aim["keywords_th"]) + _split(aim["label_th"])
    english = [w.lower() for w in _split(aim["keywords_en"]) + _split(aim["label_en"])]
    alternatives = [re.escape(w) for w in sorted(set(thai), key=len, reverse=True)]
    # English keywords are whole words ("land" must not match "island"), plural allowed.
    alternatives += [rf"(?<![a-z]){re.escape(w)}(?:s|es)?(?![a-z])" for w in sorted(set(english))]
    exclude = _split(aim["exclude"])
    exclude_pattern = "|".join(re.escape(w) for w in sorted(exclude, key=len, reverse=True)) or None
    return exclude_pattern, "|".join(alternatives)


def build_aim_matrix(texts: pd.Series, aims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which aims each text pursues: a boolean table, one row per text, one column per aim.

    Parameters
    ----------
    texts : normalised text (title, description and category joined), any index.
    aims : the taxonomy from :func:`load_aims` (the built-in one when None).

    Examples
    --------
    >>> build_aim_matrix(pd.Series(["ซ่อมแซมบ้านผู้มีรายได้น้อย", "Flood relief"]))[["housing", "livelihoods", "disaster"]]
       housing  livelihoods  disaster
    0     True        False     False
    1    False        False      True
    """
    aims = load_aims() if aims is None else aims
    lowered = texts.fillna("").astype(str).str.lower()
    unique = pd.Series(lowered.unique())  # titles and categories repeat: classify each once
    columns = {}
    for _, aim in aims.iterrows():
        exclude, pattern = _aim_patterns(aim)
        text = unique.str.replace(exclude, " ", regex=True) if exclude else unique
        columns[aim["aim_id"]] = text.str.contains(pattern, regex=True).to_numpy(dtype=bool) if pattern else False
    found = pd.DataFrame(columns, index=unique.to_numpy(), dtype=bool)
    return found.reindex(lowered.to_numpy()).set_axis(texts.index)


def build_project_aims(category: pd.Series, title: pd.Series, description: pd.Series,
                       aims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each project's aims: those its category names, else its title, else its description.

    Parameters
    ----------
    category, title, description : normalised text of the projects (same index).
    aims : the taxonomy (the built-in one when None).

    Examples
    --------
    >>> m = build_project_aims(pd.Series(["", "ที่ดิน"]), pd.Series(["โรงเรียนผู้สูงอายุ", "ที่ดินและที่อยู่อาศัย"]),
    ...                        pd.Series(["ดูแลสุขภาพผู้สูงอายุ", ""]))
    >>> [sorted(m.columns[row]) for row in m.to_numpy()]
    [['elderly'], ['land']]
    """
    aims = load_aims() if aims is None else aims
    chosen = build_aim_matrix(category, aims)
    for field in (title, description):  # read only where the fields before it name no aim
        is_open = ~chosen.to_numpy().any(axis=1)
        if is_open.any():  # nationally 154 of 100,000 projects: most categories name an aim
            chosen.loc[is_open] = build_aim_matrix(field[is_open], aims).to_numpy()
    return chosen.astype(bool)


@functools.lru_cache(maxsize=1)
def _builtin_aims() -> pd.DataFrame:
    return load_aims()


def classify_aims(text: str, aims: pd.DataFrame | None = None) -> set[str]:
    """The aim_ids a text pursues (empty when none of the keywords occurs).

    Examples
    --------
    >>> sorted(classify_aims("บ้านมั่นคงชนบท")), sorted(classify_aims("ซ่อมแซมบ้านผู้มีรายได้น้อย"))
    (['housing'], ['housing'])
    >>> sorted(classify_aims("กองทุนสวัสดิการชุมชน ดูแลผู้สูงอายุ"))
    ['elderly', 'welfare_fund']
    """
    matrix = build_aim_matrix(pd.Series([normalise_text(text)]), _builtin_aims() if aims is None else aims)
    return {aim_id for aim_id, is_aim in matrix.iloc[0].items() if is_aim}
