"""The *counter* benchmark app (Streamlit twin of Brooklet's `bench-counter`).

Ten static text lines, a button, and a counter kept in session state.
"""

import streamlit as st

st.text("line 1")
st.text("line 2")
st.text("line 3")
st.text("line 4")
st.text("line 5")
st.text("line 6")
st.text("line 7")
st.text("line 8")
st.text("line 9")
st.text("line 10")

if st.button("Increment"):
    st.session_state.count = st.session_state.get("count", 0) + 1

st.text(f"Count: {st.session_state.get('count', 0)}")
