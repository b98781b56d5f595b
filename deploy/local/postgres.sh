# Sourced by quickstart.sh and test.sh: finds, starts or installs the local PostgreSQL.
#   ensure_postgres      a server answers on 127.0.0.1:5432 afterwards (or the script dies)
#   local_url NAME       prints a superuser URL of database NAME on that server

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

can_connect() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }

start_local_cluster() {
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  [ -n "$version" ] || return 1
  say "starting the local PostgreSQL $version cluster"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || runuser -u postgres -- pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  return 1
}

install_postgres() {
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed: install it (apt-get install postgresql) or set AGORA_DATABASE_URL"
  say "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql postgresql-client >/dev/null
}

ensure_postgres() {
  command -v psql >/dev/null || install_postgres
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    start_local_cluster || { install_postgres; start_local_cluster || die "PostgreSQL would not start"; }
  fi
}

# Over TCP where the server trusts it, else over the socket (a fresh Debian install accepts
# only peer logins there, so root gets a role of its own).
local_url() {
  if can_connect "postgres://postgres@127.0.0.1:5432/postgres"; then
    echo "postgres://postgres@127.0.0.1:5432/$1"; return 0
  fi
  if [ "$(id -u)" = 0 ] && [ -S /var/run/postgresql/.s.PGSQL.5432 ]; then
    runuser -u postgres -- psql -Atqc "select 1 from pg_roles where rolname = 'root'" | grep -q 1 \
      || runuser -u postgres -- createuser --superuser root
    if can_connect "postgres:///postgres?host=/var/run/postgresql"; then
      echo "postgres:///$1?host=/var/run/postgresql"; return 0
    fi
  fi
  die "cannot log in to PostgreSQL on 127.0.0.1:5432 as a superuser: set DATABASE_URL"
}
