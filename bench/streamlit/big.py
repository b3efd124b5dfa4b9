"""The *big* benchmark app (Streamlit twin of Brooklet's `bench-big`).

A thousand text elements, a button, and a counter kept in session state.
"""

import streamlit as st

for i in range(1000):
    st.text(f"row {i}")

if st.button("Increment"):
    st.session_state.count = st.session_state.get("count", 0) + 1

st.text(f"Count: {st.session_state.get('count', 0)}")
