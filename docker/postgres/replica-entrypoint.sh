#!/bin/bash
# The streaming replica: on first start, clone the primary with pg_basebackup -R (which writes
# primary_conninfo and standby.signal), then run as a hot standby. Runs as the postgres user.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}"; do
    echo "replica: waiting for the primary at $PRIMARY_HOST"
    sleep 2
  done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}" \
    -U "$REPLICATION_USER" -D "$PGDATA" -R -X stream -S parley_replica_1 --checkpoint=fast
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c max_connections=200
