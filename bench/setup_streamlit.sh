#!/usr/bin/env bash
# Create bench/.venv and install the pinned Streamlit into it (from PyPI, with
# pip). Idempotent: does nothing when the right version is already there.
set -euo pipefail

STREAMLIT_VERSION=1.67.0
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$BENCH_DIR/.venv"
PY="$VENV/bin/python"

installed_version() {
  "$PY" -c 'import importlib.metadata as m; print(m.version("streamlit"))' 2>/dev/null || true
}

if [[ -x "$PY" && "$(installed_version)" == "$STREAMLIT_VERSION" ]]; then
  echo "setup_streamlit: streamlit $STREAMLIT_VERSION already in $VENV" >&2
  exit 0
fi

if [[ ! -x "$PY" ]]; then
  echo "setup_streamlit: creating $VENV" >&2
  python3 -m venv "$VENV"
fi

echo "setup_streamlit: installing streamlit==$STREAMLIT_VERSION into $VENV" >&2
"$PY" -m pip install --disable-pip-version-check --quiet --upgrade pip
"$PY" -m pip install --disable-pip-version-check --quiet "streamlit==$STREAMLIT_VERSION"

got="$(installed_version)"
if [[ "$got" != "$STREAMLIT_VERSION" ]]; then
  echo "setup_streamlit: expected streamlit $STREAMLIT_VERSION, found '${got:-none}'" >&2
  exit 1
fi
echo "setup_streamlit: streamlit $got ready in $VENV" >&2
