#!/usr/bin/env bash
# Runs every test of the workspace against real peers (catalogue: docs/tests.md). The
# README's test command, and what .ci/run runs. Starts (or installs) what the tests need:
# PostgreSQL, Node.js with npm for the OpenID provider of the sign-in tests, the build
# dependencies of libgit2 and git, Chromium and its WebDriver for the browser tests of the
# pages, a single-node Slurm cluster (deploy/local/slurm.sh) for the job executor tests.
# The tests install their own peers on first use: the OpenID provider's npm package into
# ~/.cache/agora/oidc-provider, Python environments (MLflow, the OpenAPI validator,
# schemathesis, rdflib and pySHACL for the DCAT-AP catalogue) under
# ~/.cache/agora/venvs.
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

# The browser tests drive Debian's headless Chromium through chromedriver.
ensure_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "Chromium and chromedriver are needed by the browser tests: install them (apt-get install chromium chromium-driver)"
  say "installing chromium and chromium-driver from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
}
ensure_chromium

if [ -z "${DATABASE_URL:-}" ]; then
  ensure_postgres
  # sqlx::test makes one database per test from this server.
  DATABASE_URL=$(local_url postgres)
  export DATABASE_URL
fi

# The agent reads git repositories over https through libgit2 and OpenSSL (headers and
# pkg-config are needed to build it); the git tests make repositories with the git CLI.
if ! pkg-config --exists openssl 2>/dev/null || ! command -v git >/dev/null; then
  [ "$(id -u)" = 0 ] || die "install pkg-config, libssl-dev and git (apt-get install pkg-config libssl-dev git)"
  say "installing pkg-config, libssl-dev and git"
  apt-get update -qq && apt-get install -y -qq pkg-config libssl-dev git >/dev/null
fi

# The Slurm executor tests and the end-to-end job tests submit to a real single-node Slurm
# cluster on localhost (Debian's slurm-wlm and munge, installed and started when missing;
# fast when it already runs). The tests call the same script and get the same cluster.
say "starting the local Slurm cluster"
SLURM_CONF=$("$here/deploy/local/slurm.sh")
export SLURM_CONF

# The end-to-end tests start the real binaries: build them first.
say "building the binaries"
cargo build --workspace --bins

say "running the tests"
# Benchmarks are built by clippy in .ci/run and run by `cargo bench`, not here.
cargo test --workspace --lib --bins --tests "$@"
cargo test --workspace --doc "$@"
