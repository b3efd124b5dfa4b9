#!/usr/bin/env bash
# Runs every test of Brooklet, installing what is missing first.
#
#   bash scripts/test.sh
#
# 1. installs Debian's chromium (apt-get) and the npm packages (npm ci);
# 2. front end: type check, unit tests, rebuild; fails if the committed
#    bundle in crates/brooklet/assets is stale;
# 3. Rust: rustfmt, clippy -D warnings, unit + AppTest + WebSocket tests,
#    doc tests, and every example and benchmark built;
# 4. real-browser tests of the examples in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "Installing what is missing"
if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version || true
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

step "Front end: type check, unit tests, bundle"
(cd frontend && npm run --silent typecheck && npm test --silent && npm run --silent build)
if [ -n "$(git status --porcelain -- crates/brooklet/assets)" ]; then
  git status --short -- crates/brooklet/assets
  echo "The committed front-end bundle is stale: run 'cd frontend && npm run build' and commit crates/brooklet/assets." >&2
  exit 1
fi

step "Rust: format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "Rust: unit, AppTest, WebSocket and doc tests; examples and benchmarks build"
cargo build --workspace --examples --quiet
# Benchmarks run on demand (see docs/performance.md); here they only compile.
cargo test --workspace --benches --no-run --quiet
cargo test --workspace --quiet
# The `polars` feature (off by default, slow to build): its lints and its
# conversion test, in one test target.
cargo clippy -p brooklet --features polars --lib --quiet -- -D warnings
cargo test -p brooklet --features polars --lib --quiet polars

step "Browser tests (headless Chromium)"
(cd e2e && BROOKLET_EXAMPLES="$PWD/../target/debug/examples" npm test --silent)
