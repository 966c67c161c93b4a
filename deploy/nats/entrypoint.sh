#!/bin/sh
# Starts nats-server with deploy/nats/nats.conf and the users' passwords from the environment.
# The passwords go into passwords.conf as quoted strings: NATS reads an unquoted $VARIABLE from
# the environment as a config value, so a password that looks like a number, a boolean or holds
# a '#' would be misread. Extra arguments go to nats-server (e.g. -js -sd /data, or -t to check).
# With NATS_CLUSTER_ROUTES (host:port of every server's route listener, comma-separated) the
# server joins that cluster as NATS_SERVER_NAME, its routes authenticating with NATS_ROUTE_PASSWORD.
set -eu
: "${NATS_IDENTITY_PASSWORD:?must be set (see .env.example)}"
: "${NATS_CREDENTIALS_PASSWORD:?must be set (see .env.example)}"
: "${NATS_REAPER_PASSWORD:?must be set (see .env.example)}"
: "${NATS_GATEWAY_PASSWORD:?must be set (see .env.example)}"
config="${KEYWARD_NATS_CONFIG:-/etc/nats/keyward.conf}"

quote() {
  case "$1" in
    *'
'*) echo "nats: passwords must be on one line" >&2; exit 1 ;;
  esac
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

umask 077
dir="$(mktemp -d)"
cp "$config" "$dir/nats.conf"
{
  printf 'IDENTITY_PASSWORD: %s\n' "$(quote "$NATS_IDENTITY_PASSWORD")"
  printf 'CREDENTIALS_PASSWORD: %s\n' "$(quote "$NATS_CREDENTIALS_PASSWORD")"
  printf 'REAPER_PASSWORD: %s\n' "$(quote "$NATS_REAPER_PASSWORD")"
  printf 'GATEWAY_PASSWORD: %s\n' "$(quote "$NATS_GATEWAY_PASSWORD")"
} > "$dir/passwords.conf"
{
  printf 'server_name: %s\n' "$(quote "${NATS_SERVER_NAME:-keyward-nats}")"
  if [ -n "${NATS_CLUSTER_ROUTES:-}" ]; then
    : "${NATS_ROUTE_PASSWORD:?must be set with NATS_CLUSTER_ROUTES (see .env.example)}"
    case "$NATS_ROUTE_PASSWORD" in
      *[!A-Za-z0-9_-]*) echo "nats: NATS_ROUTE_PASSWORD must be letters, digits, - or _ (it goes into the route URLs)" >&2; exit 1 ;;
    esac
    printf 'cluster {\n  name: %s\n  listen: "0.0.0.0:6222"\n' "$(quote "${NATS_CLUSTER_NAME:-keyward}")"
    printf '  authorization { user: "route", password: %s }\n  routes: [\n' "$(quote "$NATS_ROUTE_PASSWORD")"
    for route in $(printf '%s' "$NATS_CLUSTER_ROUTES" | tr ',' ' '); do
      printf '    "nats://route:%s@%s"\n' "$NATS_ROUTE_PASSWORD" "$route"
    done
    printf '  ]\n}\n'
  fi
} > "$dir/cluster.conf"
exec nats-server --config "$dir/nats.conf" "$@"
