#!/usr/bin/env bash
# Backs up Chopbar's PostgreSQL database and restores a backup into a fresh, empty database.
#   deploy/backup.sh backup [DIR]           a pg_dump custom-format file of CHOPBAR_DATABASE_URL's
#                                           database, in DIR (default $CHOPBAR_BACKUP_DIR or
#                                           ./backups), named chopbar-<database>-<UTC time>.dump;
#                                           prints its path
#   deploy/backup.sh restore FILE URL       FILE into the database at URL, which must exist and
#                                           hold no table (pg_restore --no-owner --exit-on-error,
#                                           in one transaction); then run `chopbar migrate` on it
# URLs are the service's own (postgresql+asyncpg://user:password@host:port/name) or libpq's.
# Personal data in the dump stay sealed under CHOPBAR_DATA_KEYS: a backup reads back only with
# those keys, and the keys must be kept apart from the backups (never in the same place).
# Needs PostgreSQL's client tools (pg_dump, pg_restore, psql) of the server's major version or newer.
set -euo pipefail

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

libpq_url() {  # the SQLAlchemy URL as libpq reads it: no driver in the scheme, asyncpg's ssl= as sslmode=
  local url=$1
  case "$url" in
    postgresql*://* | postgres://*) ;;
    *) echo "backup.sh: not a PostgreSQL URL: ${url%%://*}://..." >&2; exit 2 ;;
  esac
  printf '%s\n' "$url" | sed -E 's#^postgres(ql)?(\+[A-Za-z0-9_]+)?://#postgresql://#; s#([?&])ssl=#\1sslmode=#'
}

database_of() {  # the database name in a URL, for the file name
  local rest=${1#*://} path=""
  rest=${rest%%\?*}
  case "$rest" in */*) path=${rest#*/} ;; esac
  printf '%s\n' "${path:-default}"
}

backup() {
  local source=${CHOPBAR_DATABASE_URL:-}
  [ -n "$source" ] || { echo "backup.sh: set CHOPBAR_DATABASE_URL to the database to back up" >&2; exit 2; }
  local url dir name file
  url=$(libpq_url "$source")
  dir=${1:-${CHOPBAR_BACKUP_DIR:-./backups}}
  mkdir -p "$dir"
  name=$(database_of "$url")
  file="$dir/chopbar-$name-$(date -u +%Y%m%dT%H%M%SZ).dump"
  # Written under a temporary name and renamed once complete: a file with the final name is whole.
  (umask 077 && pg_dump --format=custom --compress=6 --no-password --file="$file.partial" --dbname="$url") \
    || { rm -f "$file.partial"; echo "backup.sh: pg_dump failed: no backup written" >&2; exit 1; }
  mv "$file.partial" "$file"
  printf '%s\n' "$file"
}

restore() {
  [ $# -eq 2 ] || usage
  local file=$1 url tables
  [ -f "$file" ] || { echo "backup.sh: no backup file at $file" >&2; exit 2; }
  url=$(libpq_url "$2")
  tables=$(psql --no-password --no-psqlrc --quiet --tuples-only --no-align --dbname="$url" \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
  if [ "$tables" != 0 ]; then
    echo "backup.sh: the database $(database_of "$url") holds $tables tables: restore into a fresh, empty one" >&2
    exit 1
  fi
  pg_restore --no-owner --exit-on-error --single-transaction --no-password --dbname="$url" "$file"
  echo "restored $file into $(database_of "$url"); now run: CHOPBAR_DATABASE_URL=<its URL> chopbar migrate"
}

case "${1:-}" in
  backup) shift; [ $# -le 1 ] || usage; backup "$@" ;;
  restore) shift; restore "$@" ;;
  *) usage ;;
esac
