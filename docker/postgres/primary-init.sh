#!/bin/bash
# Runs once, on the primary's first start (docker-entrypoint-initdb.d): a replication role, a
# physical slot for the replica (so the primary keeps the WAL the replica has not received yet)
# and a pg_hba line letting that role stream.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=repl_user="$REPLICATION_USER" --set=repl_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"repl_user" WITH REPLICATION LOGIN PASSWORD :'repl_password';
SELECT pg_create_physical_replication_slot('parley_replica_1');
SQL
echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
