#!/bin/sh
# Entry point of the Keyward image: runs one service, named by the first argument
# (`docker run keyward identity`) or else by KEYWARD_SERVICE (the SERVICE build argument):
# identity, credentials, reaper or gateway. Further arguments go to the service: `identity add_superuser
# --username U` (and add_admin, remove_superuser, remove_admin) manages roles; `credentials rotate-keys`
# re-seals every stored value under the first key of KEYWARD_MASTER_KEYS, then exits.
# `database-init` (any image) makes the services' PostgreSQL roles and schemas as the superuser in
# DATABASE_URL, then exits: compose runs it before the services.
set -eu
# Paths are relative to the image's WORKDIR, /app.
service="${1:-${KEYWARD_SERVICE:-}}"
case "$service" in
  identity | credentials | reaper | gateway | database-init) ;;
  *)
    echo "usage: keyward-service identity|credentials|reaper|gateway|database-init (or set KEYWARD_SERVICE)" >&2
    exit 64
    ;;
esac
[ "$#" -gt 0 ] && shift
export KEYWARD_SERVICE="$service"
exec node -r tsconfig-paths/register "dist/apps/$service/src/main.js" "$@"
