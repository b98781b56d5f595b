#!/usr/bin/env bash
# Runs every test of the workspace against real peers. The README's test command, and
# what .ci/run runs. Starts (or installs) what the tests need: PostgreSQL, and Node.js with
# npm for the OpenID provider of the sign-in tests (its npm package is installed by the
# tests themselves into ~/.cache/agora/oidc-provider on first use).
#
#   deploy/local/test.sh                 # all tests
#   deploy/local/test.sh -p agora-hub    # extra arguments go to `cargo test`
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$here"
# shellcheck source=deploy/local/postgres.sh
. "$here/deploy/local/postgres.sh"

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/agora/target}

ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "Node.js and npm are needed by the sign-in tests: install them (apt-get install nodejs npm)"
  say "installing Node.js and npm from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
}
ensure_node

if [ -z "${DATABASE_URL:-}" ]; then
  ensure_postgres
  # sqlx::test makes one database per test from this server.
  DATABASE_URL=$(local_url postgres)
  export DATABASE_URL
fi

# The end-to-end tests start the real binaries: build them first.
say "building the binaries"
cargo build --workspace --bins

say "running the tests"
cargo test --workspace --all-targets "$@"
cargo test --workspace --doc "$@"
