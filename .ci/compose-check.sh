#!/usr/bin/env bash
# Checks the compose stack without Docker running:
#   - docker-compose.yml is valid once the variables it requires are set (throwaway values,
#     the rest from .env.example), and is refused when any of them is missing, so no password
#     has a default;
#   - every required variable is documented in .env.example, and no .env is committed;
#   - every service's NATS user (NATS_USER) has an entry in deploy/nats/nats.conf and a password
#     written by deploy/nats/entrypoint.sh, and no user is granted all of JetStream's API
#     ($JS.API.>, $JS.>) or every subject (>);
#   - deploy/nats/nats.conf parses, through its entrypoint, alone and as a server of the
#     compose cluster (when nats-server is installed).
# Installs Debian's docker-compose when neither docker-compose nor `docker compose` exists.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "compose-check: $*" >&2
  exit 1
}

if command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  echo "compose-check: installing docker-compose (apt-get)" >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq docker-compose >/dev/null || fail "installing docker-compose failed"
  compose=(docker-compose)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Runs compose with only the given env file: nothing from the caller's environment or a local .env.
config() {
  env -i PATH="$PATH" HOME="$tmp" "${compose[@]}" --env-file "$1" -f docker-compose.yml config -q
}

mapfile -t required < <(grep -oE '\$\{[A-Z0-9_]+:\?' docker-compose.yml | sed -E 's/^\$\{//; s/:\?$//' | sort -u)
[ "${#required[@]}" -gt 0 ] || fail "docker-compose.yml requires no variable: its passwords would have defaults"

for name in "${required[@]}"; do
  grep -qE "^${name}=" .env.example || fail "$name is required by docker-compose.yml but not documented in .env.example"
  # Required wherever it is used: no other use may fall back to a default.
  uses="$(grep -oE "\\\$\\{?${name}([^A-Z0-9_]|$)[^}]{0,2}" docker-compose.yml | grep -vcE ":\\?" || true)"
  [ "$uses" -eq 0 ] || fail "$name is used without \${$name:?...} in docker-compose.yml: every use must require it"
done

# No password, secret or key with a default value.
if grep -nE '\$\{[A-Z0-9_]*(PASSWORD|SECRET|TOKEN|_KEYS?)[A-Z0-9_]*:?-[^}]' docker-compose.yml; then
  fail "a password or key has a default value in docker-compose.yml (above)"
fi

throwaway() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
# A key ring in the form KEYWARD_MASTER_KEYS takes: id:base64 of 32 random bytes.
throwaway_key_ring() { printf 'k1:%s' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"; }

# .env.example with a throwaway value for each required variable, optionally leaving one out.
write_env() {
  local file="$1" omit="${2:-}" line name
  : >"$file"
  while IFS= read -r line || [ -n "$line" ]; do
    name="${line%%=*}"
    if [[ " ${required[*]} " == *" $name "* ]]; then
      [ "$name" = "$omit" ] && continue
      if [ "$name" = KEYWARD_MASTER_KEYS ] || [ "$name" = KEYWARD_TOKEN_KEYS ]; then line="$name=$(throwaway_key_ring)"; else line="$name=$(throwaway)"; fi
    fi
    printf '%s\n' "$line" >>"$file"
  done <.env.example
}

write_env "$tmp/all.env"
config "$tmp/all.env" || fail "docker-compose.yml is invalid with every required variable set"

for name in "${required[@]}"; do
  write_env "$tmp/without.env" "$name"
  if config "$tmp/without.env" >/dev/null 2>&1; then
    fail "docker-compose.yml is accepted without $name: it must be required (\${$name:?...})"
  fi
done

if git ls-files --error-unmatch .env >/dev/null 2>&1; then
  fail ".env is committed: remove it from git (it holds passwords)"
fi

mapfile -t nats_users < <(grep -oE '^\s+NATS_USER:\s*[a-z0-9_-]+' docker-compose.yml | sed -E 's/.*:\s*//' | sort -u)
[ "${#nats_users[@]}" -gt 0 ] || fail "no service in docker-compose.yml sets NATS_USER"
for user in "${nats_users[@]}"; do
  upper="$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')"
  grep -qE "^\s*user:\s*${user}\s*$" deploy/nats/nats.conf || fail "NATS user $user (docker-compose.yml) has no entry in deploy/nats/nats.conf"
  grep -qE "^\s*password:\s*\\\$${upper}_PASSWORD\s*$" deploy/nats/nats.conf || fail "NATS user $user has no password: \$${upper}_PASSWORD in deploy/nats/nats.conf"
  grep -qF "'${upper}_PASSWORD: %s\\n' \"\$(quote \"\$NATS_${upper}_PASSWORD\")\"" deploy/nats/entrypoint.sh \
    || fail "deploy/nats/entrypoint.sh does not write ${upper}_PASSWORD from NATS_${upper}_PASSWORD"
  grep -qE "^\s+NATS_${upper}_PASSWORD: \\\$\{NATS_${upper}_PASSWORD:\?" docker-compose.yml || fail "the nats service does not get NATS_${upper}_PASSWORD (required) in docker-compose.yml"
done

if grep -nE '"(\$JS(\.API)?\.)?>"' deploy/nats/nats.conf; then
  fail "deploy/nats/nats.conf grants a whole subject space (above): grant JetStream API subjects per stream and consumer"
fi

if command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]; then
  # Through its entrypoint, with a throwaway password for each user.
  passwords=()
  for user in "${nats_users[@]}"; do
    passwords+=("NATS_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')_PASSWORD=$(throwaway)")
  done
  env "${passwords[@]}" PATH="$PATH:/usr/sbin" TMPDIR="$tmp" KEYWARD_NATS_CONFIG=deploy/nats/nats.conf \
    sh deploy/nats/entrypoint.sh -t >/dev/null 2>&1 || fail "deploy/nats/nats.conf does not parse (nats-server -t through deploy/nats/entrypoint.sh)"
  # As compose runs it: one server of the three-server cluster.
  env "${passwords[@]}" NATS_ROUTE_PASSWORD="$(throwaway)" NATS_CLUSTER_ROUTES=nats-1:6222,nats-2:6222,nats-3:6222 NATS_SERVER_NAME=nats-1 \
    PATH="$PATH:/usr/sbin" TMPDIR="$tmp" KEYWARD_NATS_CONFIG=deploy/nats/nats.conf \
    sh deploy/nats/entrypoint.sh -t >/dev/null 2>&1 || fail "deploy/nats/nats.conf does not parse as a cluster server (NATS_CLUSTER_ROUTES)"
fi

echo "compose-check: docker-compose.yml is valid; it requires ${required[*]}; NATS users: ${nats_users[*]}"
