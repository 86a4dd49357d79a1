#!/usr/bin/env bash
# Debian packages the tests need, each installed only when missing and when we may (root);
# otherwise the tests that need it skip and say why:
# - Chromium for the end-to-end browser tests (Playwright drives Debian's chromium; its own
#   browser download does not work offline);
# - the PostgreSQL server binaries for the PostgreSQL store tests (tests/pgserver.py starts a
#   throw-away cluster with them as the `postgres` user and removes it; no service is enabled).
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: ${missing[*]} missing and cannot apt-get install; their tests will be skipped" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]} (Debian) for the tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
for pkg in "${missing[@]}"; do
  # policy-rc.d 101: install the server without starting Debian's own cluster service
  if [ "$pkg" = postgresql ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get install -y -qq postgresql >/dev/null 2>&1 || echo "system-deps: postgresql install failed; PostgreSQL tests will be skipped" >&2
    rm -f /usr/sbin/policy-rc.d
  else
    apt-get install -y -qq "$pkg" >/dev/null 2>&1 || echo "system-deps: $pkg install failed; its tests will be skipped" >&2
  fi
done
exit 0
