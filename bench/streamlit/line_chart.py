"""The big line chart in Streamlit: examples/big_chart.rs's twin. A random
walk whose length comes from the "Points" number input, drawn with
st.line_chart (Vega-Lite), with a caption "Points: N"."""

import numpy as np
import pandas as pd
import streamlit as st


@st.cache_data(max_entries=1)
def walk(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame({"value": np.cumsum(rng.random(n) - 0.5)})


st.title("A big line chart")
n = st.number_input("Points", min_value=1, max_value=100_000_000, value=1000, step=1000)
data = walk(int(n))
st.caption(f"Points: {int(n)}")
st.line_chart(data, y="value", height=360)
