#!/usr/bin/env bash
# A PostgreSQL server on loopback for the sync tests (tests/sync.rs): installs Debian's
# postgresql when it is missing, starts its cluster, and creates the role and database the tests
# use. Prints the URL to export as TUCAI_TEST_CENTRAL. Idempotent; uses sudo when not root.
# The password is a test secret: the tests check that it never appears in tucai's output.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "test-postgres: installing postgresql" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql ssl-cert >&2
fi

cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }')
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  $SUDO pg_createcluster "$version" main >&2
  cluster="$version main"
fi
# shellcheck disable=SC2086
$SUDO pg_ctlcluster $cluster start >&2 || true
port=$(pg_lsclusters --no-header | awk 'NR == 1 { print $3 }')

as_postgres() { $SUDO -u postgres "$@" 2>/dev/null || runuser -u postgres -- "$@"; }
for _ in $(seq 1 30); do
  if as_postgres psql -p "$port" -qtAc 'SELECT 1' >/dev/null 2>&1; then break; fi
  sleep 1
done
as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA >&2 <<'SQL'
SELECT 'CREATE ROLE tucai_test LOGIN CREATEDB PASSWORD ''tucai-test-secret'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tucai_test') \gexec
SELECT 'CREATE DATABASE tucai_test OWNER tucai_test'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'tucai_test') \gexec
SQL
echo "postgres://tucai_test:tucai-test-secret@127.0.0.1:${port}/tucai_test"
