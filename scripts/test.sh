#!/usr/bin/env bash
# The test command (`npm test`): installs what the tests need on a fresh machine, builds, runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."

# re2 is built from source: its prebuilt download is not reachable, and node-gyp must find the
# headers of the installed Node instead of downloading them.
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"

stamp=node_modules/.vaultsweep-lock-stamp
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  # `npm ci` refuses a lock file that lacks other platforms' optional packages (rollup's), which a
  # registry mirror serving only this platform leaves out; `npm install` then installs the same
  # locked versions.
  npm ci --no-audit --no-fund || npm install --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
node -e "require('re2')" || { echo "re2 did not build; see npm ci output above" >&2; exit 2; }

npm run build
npx vitest run "$@"
