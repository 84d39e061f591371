#!/usr/bin/env bash
# Brings up the dev stack on this machine's Docker engine, with the state kept in .pulumi-state/
# (a local backend: no Pulumi Cloud account) and an empty passphrase (the dev stack has no
# secrets). Extra arguments go to `pulumi up`, e.g. `npm run up:dev -- --yes`.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v pulumi >/dev/null || {
  echo "dev-up: the Pulumi CLI is not installed; see https://www.pulumi.com/docs/install/" >&2
  exit 1
}
docker info >/dev/null 2>&1 || {
  echo "dev-up: no Docker engine answers on this machine; start Docker first" >&2
  exit 1
}

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
mkdir -p .pulumi-state

pulumi stack select dev --create --secrets-provider passphrase
pulumi up --stack dev "$@"
