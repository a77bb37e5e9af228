#!/usr/bin/env bash
# The test command (`npm test`): installs what the tests need on a fresh machine, builds, runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."

# re2 is built from source: its prebuilt download is not reachable, and node-gyp must find the
# headers of the installed Node instead of downloading them.
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"

stamp=node_modules/.vaultsweep-lock-stamp
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  # Not `npm ci`: it refuses a lock file without other platforms' optional packages (rollup's),
  # which a registry that serves only this platform leaves out. `npm install` installs the
  # locked versions all the same.
  npm install --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
node -e "require('re2')" || { echo "re2 did not build; see the npm install output above" >&2; exit 2; }

npm run build
mkdir -p .cache
# The migration tests talk to real servers: OpenBao (built from the Go module proxy once per
# machine) and moto (pip, into a virtualenv). vitest's global setup starts them.
bash scripts/services.sh install
# The interactive migrator's end-to-end tests drive it in a tmux pane (a real pseudo-terminal).
if ! command -v tmux >/dev/null; then
  echo "installing tmux for the terminal tests" >&2
  (apt-get update -qq && apt-get install -y -qq tmux) >&2 || { echo "tmux is needed for test/tui/e2e.test.ts: apt-get install tmux" >&2; exit 2; }
fi
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-results.json "$@" || status=$?
# One plain closing line that any CI reads: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync(".cache/vitest-results.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"
