#!/usr/bin/env bash
# The real servers vaultsweep's migration talks to, for tests and for trying it out:
#   OpenBao's dev server (the Vault HTTP API), built once from the Go module proxy by scripts/openbao/
#   moto's server (the AWS Secrets Manager API), installed once into a virtualenv
#
#   scripts/services.sh install         build/install what is missing (cached under .cache/)
#   scripts/services.sh start           start both on free loopback ports; prints `export` lines
#   scripts/services.sh stop            stop them
#   scripts/services.sh env             print the `export` lines of the running pair again
#   scripts/services.sh openbao-bin     print the OpenBao binary's path (building it if needed)
#
#   eval "$(scripts/services.sh start)"
#
# SERVICES_STATE=DIR keeps a separate pair (the test suite starts its own).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
STATE="${SERVICES_STATE:-$CACHE/services}"
MOTO_VERSION="5.2.5"
MOTO_VENV="$CACHE/moto-venv-$MOTO_VERSION"

log() { echo "services: $*" >&2; }

openbao_binary() {
  local key
  key="$(cat "$ROOT/scripts/openbao/go.mod" "$ROOT/scripts/openbao/go.sum" "$ROOT/scripts/openbao/main.go" | sha256sum | cut -c1-16)"
  echo "$CACHE/openbao/$key/openbao-dev"
}

install_openbao() {
  local bin
  bin="$(openbao_binary)"
  [[ -x "$bin" ]] && return 0
  command -v go >/dev/null || { log "Go is needed to build OpenBao (apt-get install golang, or a Go toolchain on PATH)"; exit 2; }
  log "building OpenBao from the Go module proxy into ${bin#"$ROOT/"} (once per machine, a few minutes)"
  mkdir -p "$(dirname "$bin")"
  (cd "$ROOT/scripts/openbao" && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" .) >&2
  mv "$bin.tmp" "$bin"
}

install_moto() {
  [[ -x "$MOTO_VENV/bin/moto_server" ]] && "$MOTO_VENV/bin/python" -c 'import moto.server' 2>/dev/null && return 0
  log "installing moto[server]==$MOTO_VERSION into ${MOTO_VENV#"$ROOT/"}"
  rm -rf "$MOTO_VENV"
  python3 -m venv "$MOTO_VENV" >&2 || { log "python3 -m venv failed (apt-get install python3-venv)"; exit 2; }
  "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_for URL NAME PIDFILE: poll until the server answers (any HTTP status) or its process dies.
wait_for() {
  local url="$1" name="$2" pid="$3"
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then log "$name exited while starting; its log: $STATE/$name.log"; tail -20 "$STATE/$name.log" >&2; stop_servers; exit 2; fi
    if node -e 'fetch(process.argv[1]).then(()=>process.exit(0),()=>process.exit(1))' "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "$name did not answer at $url within 30 s; its log: $STATE/$name.log"
  stop_servers
  exit 2
}

print_env() {
  cat "$STATE/env"
}

running() {
  [[ -f "$STATE/openbao.pid" && -f "$STATE/moto.pid" ]] && kill -0 "$(cat "$STATE/openbao.pid")" 2>/dev/null && kill -0 "$(cat "$STATE/moto.pid")" 2>/dev/null
}

start() {
  if running; then print_env; return 0; fi
  stop_servers
  install_openbao
  install_moto
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  local bao_port moto_port token bin
  bao_port="$(free_port)"
  moto_port="$(free_port)"
  token="dev-$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
  bin="$(openbao_binary)"
  # setsid: the servers outlive this script and are stopped by pid, with their children.
  VAULT_DEV_ROOT_TOKEN_ID="$token" setsid "$bin" server -dev -dev-no-store-token \
    -dev-listen-address="127.0.0.1:$bao_port" >"$STATE/openbao.log" 2>&1 < /dev/null &
  echo $! >"$STATE/openbao.pid"
  setsid "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$STATE/moto.log" 2>&1 < /dev/null &
  echo $! >"$STATE/moto.pid"
  wait_for "http://127.0.0.1:$bao_port/v1/sys/health" openbao "$(cat "$STATE/openbao.pid")"
  wait_for "http://127.0.0.1:$moto_port/moto-api/" moto "$(cat "$STATE/moto.pid")"
  cat >"$STATE/env" <<EOF
export VAULT_ADDR=http://127.0.0.1:$bao_port
export VAULT_TOKEN=$token
export AWS_ENDPOINT_URL=http://127.0.0.1:$moto_port
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
EOF
  chmod 600 "$STATE/env"
  log "OpenBao at http://127.0.0.1:$bao_port, moto at http://127.0.0.1:$moto_port (logs in ${STATE#"$ROOT/"})"
  print_env
}

stop_servers() {
  local name pid
  for name in openbao moto; do
    [[ -f "$STATE/$name.pid" ]] || continue
    pid="$(cat "$STATE/$name.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/$name.pid"
  done
  rm -f "$STATE/env"
}

case "${1:-}" in
  install) install_openbao; install_moto ;;
  start) start ;;
  stop) stop_servers; log "stopped" ;;
  openbao-bin) install_openbao; openbao_binary ;;
  env) running && print_env || { log "not running: scripts/services.sh start"; exit 1; } ;;
  *) echo "usage: scripts/services.sh install|start|stop|env|openbao-bin" >&2; exit 2 ;;
esac
