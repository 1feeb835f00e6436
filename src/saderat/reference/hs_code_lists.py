"""Reading UN Comtrade's HS code lists of every revision (H0-H6), for
:mod:`saderat.analytics.hs_concordance` (which reads no file)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["load_hs_code_lists"]


def load_hs_code_lists(path: str | Path, /) -> pd.DataFrame:
    """Read Comtrade's code lists of every HS revision (``comtrade_hs_codes_all_revisions_H0-H6.csv.gz``).

    Returns columns ``classification`` (H0...H6), ``code`` (string with leading zeros), ``level`` (2, 4 or 6),
    ``parent`` and ``description``; the "TOTAL" rows are left out.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = {"Classification", "Code", "Description", "Parent Code", "Level"}
    missing = expected - set(frame.columns)
    if missing:
        raise ValueError(f"path: {path} lacks column(s) {sorted(missing)} of the Comtrade code list")
    frame = frame.rename(
        columns={
            "Classification": "classification",
            "Code": "code",
            "Description": "description",
            "Parent Code": "parent",
            "Level": "level",
        }
    )
    frame["level"] = pd.to_numeric(frame["level"], errors="coerce")
    frame = frame[frame["level"].isin([2, 4, 6])].astype({"level": np.int64})
    return frame[["classification", "code", "level", "parent", "description"]].reset_index(drop=True)
