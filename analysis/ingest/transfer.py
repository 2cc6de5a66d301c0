"""Tables sent back from a worker process as a few large objects instead of millions of small ones.

A table read in a forked worker (:func:`analysis.parallel.run_tasks`, issue 19) comes back
pickled, and pickle writes and reads every text cell as an object of its own: nationally
3.6 million cells, each a string of its own as the CSV reader made it, 1.9 CPU s to send.
A text column is sent instead as its texts joined in one string, split again on arrival,
and a mask of its missing cells: 1.2 CPU s, the same table on arrival. Only what crosses
processes is packed; a column that is not text and missing values alone (numbers, dates,
a NaN, a text holding the separator) is sent as it is.

Checked tables are not packed: their repeated values are one string object each
(:func:`analysis.ingest.validate.map_unique`), which pickle sends once, and joining them
would send every repeat (nationally 2.4 CPU s sent as they are, 4.4 packed).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Joins a column's texts: the ASCII unit separator, a control character that no text read
#: from a CSV file holds (:func:`analysis.ingest.read.decode_text` refuses them); a column
#: where one occurs all the same is sent cell by cell.
SEPARATOR = "\x1f"


@dataclass
class PackedFrame:
    """A frame as :func:`pack_frame` sends it: per column, either ``(texts joined, is_none)``
    or the column itself."""

    index: pd.Index
    columns: pd.Index
    values: list


def pack_frame(frame: pd.DataFrame) -> PackedFrame:
    """``frame`` with each column of texts and None joined in one string (:data:`SEPARATOR`).

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["ก", None, "ข"], "n": [1, 2, 3]}, dtype=object).astype({"n": "int64"})
    >>> packed = pack_frame(frame)
    >>> packed.values[0][0], packed.values[0][1].tolist()
    ('ก\\x1fข', [False, True, False])
    >>> unpack_frame(packed).equals(frame)
    True
    """
    return PackedFrame(frame.index, frame.columns,
                       [pack_texts(column.to_numpy()) if column.dtype == object else column
                        for _, column in frame.items()])


def pack_texts(values: np.ndarray) -> tuple[str, np.ndarray] | np.ndarray:
    """``(texts joined, is_none)`` for an array of texts and None; else the array itself."""
    is_none = np.equal(values, None)
    texts = values[~is_none].tolist()
    try:
        joined = SEPARATOR.join(texts)
    except TypeError:  # a value that is not text (a number, NaN)
        return values
    if joined.count(SEPARATOR) != max(0, len(texts) - 1):  # a text holds the separator
        return values
    return joined, is_none


def unpack_frame(packed: PackedFrame | pd.DataFrame) -> pd.DataFrame:
    """The frame :func:`pack_frame` packed (a frame not packed is returned as it is)."""
    if isinstance(packed, pd.DataFrame):
        return packed
    columns = {}
    for position, values in enumerate(packed.values):
        if isinstance(values, tuple):
            joined, is_none = values
            values = np.empty(len(is_none), dtype=object)
            if not is_none.all():
                values[~is_none] = np.array(joined.split(SEPARATOR), dtype=object)
        columns[position] = pd.Series(values, index=packed.index, dtype=object) if isinstance(values, np.ndarray) \
            else values.set_axis(packed.index)
    frame = pd.DataFrame(columns, index=packed.index)
    frame.columns = packed.columns
    return frame
