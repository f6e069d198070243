#!/usr/bin/env bash
# `./run deploy-check`: the deployment files as the tools that run them read them.
#   docker-compose config -q       the compose stack (Debian's docker-compose: no engine needed)
#   caddy validate                  the Caddyfile (Debian's caddy)
#   promtool check rules / config   Prometheus's rules and configuration (Debian's prometheus),
#   promtool test rules             and the alerts firing on the series they are for
#   kubernetes-validate --strict    the manifests, against the schemas it ships (PyPI, test extra)
#   tests/deploy                    the dashboard JSON loads, and every metric the rules and the
#                                   dashboard name is one the web process or the worker exports
# A missing Debian tool is installed first (root, apt-get), without starting its service; with the
# tools present it takes a few seconds. Exit status 1 when any check fails.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

need() {  # need <command> <debian package>
  command -v "$1" >/dev/null && return 0
  if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
    echo "$1 missing: install Debian's $2" >&2
    return 1
  fi
  echo "installing Debian's $2 for $1 (first run only)..." >&2
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then  # a package's service is not started by its install
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod +x "$guard"
  fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2") >/dev/null
  local rc=$?
  [ -n "$guard" ] && rm -f "$guard"
  [ $rc = 0 ] && command -v "$1" >/dev/null
}

status=0
quiet() {  # quiet <command...>: its output only when it fails
  local out
  out=$("$@" 2>&1) && return 0
  echo "$out" >&2
  return 1
}
check() {  # check <what> <command...>
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what" >&2; status=1; fi
}

if need docker-compose docker-compose; then
  check "docker-compose.yml" docker-compose --env-file deploy/compose-check.env -f docker-compose.yml config -q
else
  status=1
fi
if need caddy caddy; then
  check "deploy/caddy/Caddyfile" quiet env CHOPBAR_DOMAIN=chop.example.cm CHOPBAR_GATEWAY_NETWORKS="192.0.2.0/24 198.51.100.0/24" \
    caddy validate --adapter caddyfile --config deploy/caddy/Caddyfile
else
  status=1
fi
if need promtool prometheus; then
  check "deploy/prometheus/rules.yml" quiet promtool check rules deploy/prometheus/rules.yml
  check "deploy/prometheus/prometheus.yml" quiet promtool check config deploy/prometheus/prometheus.yml
  check "deploy/prometheus/rules_test.yml" quiet promtool test rules deploy/prometheus/rules_test.yml
else
  status=1
fi
check "deploy/kubernetes" "$VENV/bin/kubernetes-validate" --strict --quiet deploy/kubernetes/*.yaml
check "dashboard and metric names" quiet "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/deploy
exit $status
