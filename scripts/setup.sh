#!/usr/bin/env bash
# Installs what Revoke's build, demo and tests need on a fresh Debian machine:
# Debian's Chromium and Firefox ESR (the tests drive both; nothing downloads a
# browser of its own), oathtool (an independent OTP implementation the tests compare
# against), unzip (checks the package zips), and the locked npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v oathtool >/dev/null || missing+=(oathtool)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
# The German end-to-end test starts both browsers in German: their language files come separately.
[ -e /usr/lib/chromium/locales/de.pak ] || missing+=(chromium-l10n)
[ -e /usr/lib/firefox-esr/browser/extensions/langpack-de@firefox-esr.mozilla.org.xpi ] || missing+=(firefox-esr-l10n-de)
command -v unzip >/dev/null || missing+=(unzip)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
# The real better-auth server that connector tests run against has its own
# lockfile, so its many optional peers stay out of the extension's tree.
npm ci --no-audit --no-fund --prefix test/servers/better-auth
