#!/usr/bin/env bash
# The two system packages the tests use for real parts: Debian's chromium (browser tests) and postgresql
# (the knowledge-base tests run on a real server too). Installs them with apt when they are missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing ${need[*]} with apt (needed by the browser and PostgreSQL tests)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}"; }; then
  echo "could not install ${need[*]}: install them with apt (apt-get install -y ${need[*]}) and run make test again" >&2
  exit 1
fi
