"""The dataframe benchmark app in Streamlit: the same columns as
examples/dataframe.rs (BENCH_ROWS rows, cached), shown when the "Show"
toggle is on. crates/brooklet-bench/src/bin/bench_frame.rs is the Brooklet
side."""

import os

import numpy as np
import pandas as pd
import streamlit as st

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCTS = ["Kettle", "Toaster", "Blender", "Mixer", "Grinder", "Juicer", "Steamer", "Fryer"]


@st.cache_data
def sales(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "id": np.arange(rows, dtype=np.uint64),
            "region": pd.Categorical.from_codes(rng.integers(0, 5, rows), REGIONS),
            "product": pd.Categorical.from_codes(rng.integers(0, 8, rows), PRODUCTS),
            "units": rng.integers(1, 101, rows).astype(np.uint32),
            "price": rng.integers(100, 50_000, rows) / 100,
            "score": rng.integers(0, 1_000_000, rows) / 10_000,
            "flag": rng.integers(0, 4, rows) == 0,
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1826, rows), unit="D"),
        }
    )


df = sales(ROWS)
st.caption(f"Ready: {len(df)}")
if st.toggle("Show"):
    st.dataframe(
        df,
        column_config={
            "price": st.column_config.NumberColumn(format="dollar"),
            "score": st.column_config.NumberColumn(format="%.2f"),
            "date": st.column_config.DateColumn(format="MMM D, YYYY"),
        },
        height=420,
    )
