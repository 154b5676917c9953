#!/bin/sh
# Apply pending migrations, then replace this shell with the server (so signals reach it).
set -eu

# Replicas starting together race to migrate, and the database may still be starting. On
# PostgreSQL a migration is one transaction, so a loser rolls back whole and its next try
# finds the schema at head; a few tries cover both cases.
attempts=${TOUCHPOINT_MIGRATE_ATTEMPTS:-10}
attempt=1
until touchpoint db upgrade; do
    if [ "$attempt" -ge "$attempts" ]; then
        echo "touchpoint-entrypoint: migrations failed $attempts times; giving up" >&2
        exit 1
    fi
    attempt=$((attempt + 1))
    sleep 2
done

exec "$@"
