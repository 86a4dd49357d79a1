#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the end-to-end browser tests (Playwright drives
# Debian's chromium; its own browser download does not work offline). Installs only when missing
# and when we may (root); otherwise the browser tests skip and say why.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: chromium missing and cannot apt-get install it; browser tests will be skipped" >&2
  exit 0
fi
echo "system-deps: installing chromium (Debian) for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq chromium >/dev/null 2>&1 || echo "system-deps: chromium install failed; browser tests will be skipped" >&2
exit 0
