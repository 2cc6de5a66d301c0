"""Tables packed to be sent back from a worker: what arrives is the table that left.

Each frame is written here by hand; the expected packed form is the texts joined by the
unit separator (U+001F) as written, and the mask of the None cells read off the column.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.transfer import SEPARATOR, pack_frame, unpack_frame


def round_trip(frame: pd.DataFrame) -> pd.DataFrame:
    return unpack_frame(pack_frame(frame))


def test_a_text_column_is_sent_as_one_string_and_its_missing_cells():
    frame = pd.DataFrame({"name": ["นาย ก", None, "นาย ข", None]}, dtype=object)
    text, is_none = pack_frame(frame).values[0]
    assert text == "นาย ก\x1fนาย ข" and is_none.tolist() == [False, True, False, True]


def test_texts_numbers_dates_and_flags_arrive_as_they_left_with_the_index_of_a_part():
    frame = pd.DataFrame({
        "record_id": pd.Series(["R5", "R6", None], dtype=object), "name": pd.Series(["", "นาย ก", "x\ny"], dtype=object),
        "budget_thb": [1.5, np.nan, 3.0], "start": pd.to_datetime(["2024-10-01", None, "2025-01-31"]),
        "is_place_known": [True, False, True], "row": np.array([7, 8, 9], dtype="int64"),
        "title": pd.Series(["a", None, "c"], dtype="str"),
    }).set_axis(pd.RangeIndex(5, 8))
    arrived = round_trip(frame)
    pd.testing.assert_frame_equal(arrived, frame, check_exact=True)
    assert arrived["record_id"].tolist() == ["R5", "R6", None] and arrived.index.tolist() == [5, 6, 7]
    assert list(arrived.dtypes) == list(frame.dtypes)


@pytest.mark.parametrize("cells", [
    ["a", f"b{SEPARATOR}c", None],  # a text holding the separator itself
    ["a", np.nan, None],  # NaN is not None: it must stay NaN
    ["a", 5, None],  # a number in a text column
])
def test_a_column_that_is_not_texts_and_none_alone_is_sent_as_it_is(cells):
    frame = pd.DataFrame({"value": cells}, dtype=object)
    assert isinstance(pack_frame(frame).values[0], np.ndarray)
    arrived = round_trip(frame)
    pd.testing.assert_frame_equal(arrived, frame, check_exact=True)
    assert arrived["value"].tolist()[2] is None and type(arrived["value"].tolist()[1]) is type(cells[1])


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"a": [None, None]}, dtype=object),
    pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype="int64")}),
    pd.DataFrame({"a": [""]}, dtype=object),
])
def test_missing_empty_and_blank_columns_arrive_as_they_left(frame):
    pd.testing.assert_frame_equal(round_trip(frame), frame, check_exact=True)


def test_a_frame_not_packed_is_returned_as_it_is():
    frame = pd.DataFrame({"a": ["x"]}, dtype=object)
    assert unpack_frame(frame) is frame
