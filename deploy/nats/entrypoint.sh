#!/bin/sh
# Starts nats-server with deploy/nats/nats.conf and the users' passwords from the environment.
# The passwords go into passwords.conf as quoted strings: NATS reads an unquoted $VARIABLE from
# the environment as a config value, so a password that looks like a number, a boolean or holds
# a '#' would be misread. Extra arguments go to nats-server (e.g. -js -sd /data, or -t to check).
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
exec nats-server --config "$dir/nats.conf" "$@"
