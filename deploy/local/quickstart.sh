#!/usr/bin/env bash
# Starts a working Agora hub with the demo data at http://127.0.0.1:8080, with development
# sign-in (`--dev-login`): pick any demo person at /auth/login, no provider needed. It is
# refused off loopback; connect a real OpenID provider for anything else (docs/api/sign-in.md).
#
# Database: $AGORA_DATABASE_URL when set; else a PostgreSQL already answering on
# 127.0.0.1:5432; else the local cluster, started; else PostgreSQL installed with apt
# (when run as root). The `agora` database is created when missing.
#
#   deploy/local/quickstart.sh              # build, migrate, load demo data, serve
#   AGORA_LISTEN=127.0.0.1:9000 deploy/local/quickstart.sh
#   AGORA_PROFILE=dev deploy/local/quickstart.sh   # debug build (faster to compile)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$here"
# shellcheck source=deploy/local/postgres.sh
. "$here/deploy/local/postgres.sh"

command -v cargo >/dev/null || die "Rust is needed: install it from rustup, then run this again"

if [ -n "${AGORA_DATABASE_URL:-}" ]; then
  say "using AGORA_DATABASE_URL"
else
  ensure_postgres
  admin=$(local_url postgres)
  if ! psql "$admin" -Atqc "select 1 from pg_database where datname = 'agora'" | grep -q 1; then
    say "creating the agora database"
    psql "$admin" -qc 'create database agora'
  fi
  AGORA_DATABASE_URL=$(local_url agora)
  export AGORA_DATABASE_URL
fi

profile=${AGORA_PROFILE:-release}
# The hub reads every AGORA_ variable as a setting: this one is the script's own.
unset AGORA_PROFILE
say "building agora-hub ($profile profile; the first build takes a few minutes)"
cargo build --profile "$profile" -p agora-hub --bin agora-hub
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
hub="$target_dir/$dir/agora-hub"

say "applying migrations and loading the demo data"
"$hub" seed-demo
# Two demo people with hub roles, to see what administrators and stewards may do.
"$hub" user grant --email claire.dubois@insee.fr --role admin >/dev/null
"$hub" user grant --email ana.lopez@inegi.org.mx --role steward --org inegi >/dev/null

listen=${AGORA_LISTEN:-127.0.0.1:8080}
case "$listen" in
  127.*|localhost:*|\[::1\]:*)
    dev=(--dev-login)
    say "development sign-in is on (--dev-login): open http://$listen/auth/login and pick a demo person"
    say "  (Claire Dubois is an administrator, Ana López a steward of INEGI; loopback only, never in production)"
    ;;
  *)
    dev=()
    say "not on loopback: development sign-in stays off; configure an OpenID provider to sign in"
    ;;
esac
say "serving on http://$listen  (API: /api/v1/projects, OpenAPI: /api/v1/openapi.json; Ctrl-C stops)"
exec "$hub" serve --listen "$listen" "${dev[@]}"
