#!/usr/bin/env bash
# Side-by-side benchmark: Brooklet vs Streamlit (defaults) vs Streamlit tuned,
# all measured the same way through headless Debian Chromium.
#
#   bash bench/compare.sh [--sessions-50]
#   BENCH_FRAMEWORKS="streamlit streamlit_tuned" bash bench/compare.sh   # a subset
#
# Needs the Brooklet benchmark binaries (cargo build --release -p brooklet-bench)
# and node; installs Streamlit into bench/.venv and playwright-core into
# bench/node_modules when missing. Prints one Markdown table of ratios and
# writes the raw numbers to bench/results/compare-<date>.json (+ .md).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WITH_50=0
for arg in "$@"; do
  case "$arg" in
    --sessions-50) WITH_50=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "compare: unknown argument '$arg' (known: --sessions-50)" >&2; exit 2 ;;
  esac
done
# BENCH_FRAMEWORKS (space-separated) runs a subset, e.g. only the Streamlit half.
read -r -a FRAMEWORKS <<<"${BENCH_FRAMEWORKS:-brooklet streamlit streamlit_tuned}"
for fw in "${FRAMEWORKS[@]}"; do
  case "$fw" in
    brooklet|streamlit|streamlit_tuned) ;;
    *) echo "compare: unknown framework '$fw' in BENCH_FRAMEWORKS" >&2; exit 2 ;;
  esac
done

BK_COUNTER="$ROOT/target/release/bench-counter"
BK_BIG="$ROOT/target/release/bench-big"
for bin in "$BK_COUNTER" "$BK_BIG"; do
  if [[ " ${FRAMEWORKS[*]} " == *" brooklet "* && ! -x "$bin" ]]; then
    echo "compare: missing Brooklet benchmark binary $bin" >&2
    echo "compare: build it first:  cargo build --release -p brooklet-bench" >&2
    exit 1
  fi
done
command -v node >/dev/null || { echo "compare: node is required" >&2; exit 1; }
[[ -x /usr/bin/chromium ]] || { echo "compare: /usr/bin/chromium is required (apt-get install chromium)" >&2; exit 1; }

bash "$BENCH/setup_streamlit.sh"
if [[ ! -f "$BENCH/node_modules/playwright-core/package.json" ]]; then
  (cd "$BENCH" && npm ci --no-audit --no-fund >&2)
fi

PY="$BENCH/.venv/bin/python"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$BENCH/results"
RUN_DIR="$RESULTS/compare-$STAMP.d"
mkdir -p "$RUN_DIR"
cp /proc/loadavg "$RUN_DIR/loadavg-start.txt" 2>/dev/null || true

# Flags shared by both Streamlit variants (the tuned launcher adds
# --runner.postScriptGC false and TCP_NODELAY on top).
ST_FLAGS=(--server.headless true --server.port '{port}' --server.address 127.0.0.1
  --browser.gatherUsageStats false --server.fileWatcherType none)

# Servers we started and have not stopped yet (process-group ids).
LIVE_PIDS=()
stop_server() {
  local pid="$1"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    # Gone, or a zombie waiting for a reaper: either way it has stopped.
    [[ -r "/proc/$pid/stat" ]] || break
    [[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" == Z ]] && break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  local keep=()
  for p in "${LIVE_PIDS[@]}"; do [[ "$p" != "$pid" ]] && keep+=("$p"); done
  LIVE_PIDS=("${keep[@]+"${keep[@]}"}")
}
cleanup() {
  for pid in "${LIVE_PIDS[@]+"${LIVE_PIDS[@]}"}"; do stop_server "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# server_cmd FRAMEWORK APP -> the command line, in the array CMD, and HEALTH.
server_cmd() {
  local fw="$1" app="$2"
  case "$fw" in
    brooklet)
      HEALTH=/_brooklet/health
      if [[ "$app" == counter ]]; then CMD=("$BK_COUNTER"); else CMD=("$BK_BIG"); fi
      CMD+=(--server.port '{port}')
      ;;
    streamlit)
      HEALTH=/_stcore/health
      CMD=("$BENCH/.venv/bin/streamlit" run "$BENCH/streamlit/$app.py" "${ST_FLAGS[@]}")
      ;;
    streamlit_tuned)
      HEALTH=/_stcore/health
      CMD=("$PY" "$BENCH/streamlit/run_tuned.py" "$BENCH/streamlit/$app.py" "${ST_FLAGS[@]}")
      ;;
  esac
}

# start FRAMEWORK APP LOG -> SERVER_JSON, SERVER_PID, SERVER_URL
start() {
  server_cmd "$1" "$2"
  SERVER_JSON="$(cd "$BENCH" && BROOKLET_LOG=warn node start_server.mjs --health "$HEALTH" --log "$3" --timeout-s 60 -- "${CMD[@]}")"
  SERVER_PID="$(node -e 'console.log(JSON.parse(process.argv[1]).pid)' "$SERVER_JSON")"
  SERVER_URL="$(node -e 'console.log(JSON.parse(process.argv[1]).url)' "$SERVER_JSON")"
  LIVE_PIDS+=("$SERVER_PID")
}

# Warm-up: start and stop each server once, untimed, so that no measured
# start-up pays for a cold file cache or Python's first bytecode compile.
for fw in "${FRAMEWORKS[@]}"; do
  for app in counter big; do
    start "$fw" "$app" "$RUN_DIR/warmup-$fw-$app.log"
    stop_server "$SERVER_PID"
  done
done
echo "compare: warm-up starts done" >&2

# scenario name, app, sessions, clicks per session, time limit (s)
SCENARIOS=(
  "counter-1 counter 1 40 120"
  "counter-10 counter 10 10 180"
  "big-1 big 1 20 180"
)
if [[ "$WITH_50" == 1 ]]; then
  SCENARIOS+=("counter-50 counter 50 5 300")
fi

for line in "${SCENARIOS[@]}"; do
  read -r name app sessions clicks limit <<<"$line"
  echo "$name" >>"$RUN_DIR/scenarios.txt"
  for fw in "${FRAMEWORKS[@]}"; do
    base="$RUN_DIR/$name.$fw"
    echo "compare: $name ($sessions sessions x $clicks clicks) on $fw" >&2
    start "$fw" "$app" "$base.server.log"
    echo "$SERVER_JSON" >"$base.server.json"
    (cd "$BENCH" && node browser_load.mjs --url "$SERVER_URL" --sessions "$sessions" --clicks "$clicks" \
      --timeout-s "$limit" --pid "$SERVER_PID" --label "$name/$fw") >"$base.load.json" || true
    stop_server "$SERVER_PID"
  done
done

node "$BENCH/report.mjs" --dir "$RUN_DIR" --out "$RESULTS/compare-$STAMP.json" | tee "$RESULTS/compare-$STAMP.md"
echo >&2
echo "compare: raw results in bench/results/compare-$STAMP.json (logs in bench/results/compare-$STAMP.d/)" >&2
