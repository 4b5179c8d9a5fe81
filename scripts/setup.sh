#!/usr/bin/env bash
# Installs what Revoke's build, demo and tests need on a fresh Debian machine:
# Debian's Chromium and Firefox ESR (the tests drive both; nothing downloads a
# browser of its own), oathtool (an independent OTP implementation the tests compare
# against), unzip (checks the package zips), Debian's WordPress with MariaDB and PHP (a real
# WordPress the WordPress connector is tested against: test/servers/wordpress/wordpress.sh), and
# the locked npm dependencies.
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
# Packages by name: the binaries alone would not tell a half-installed WordPress.
wordpress=()
for pkg in wordpress wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || wordpress+=("$pkg")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
[ ${#missing[@]} -eq 0 ] && [ ${#wordpress[@]} -eq 0 ] || $sudo apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ${#wordpress[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${wordpress[*]}"
  # wordpress pulls in apache2 and its postinst scripts would start it (and MariaDB) on :80:
  # a policy-rc.d that says no keeps every service stopped; the tests start their own servers.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${wordpress[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
# The real better-auth server that connector tests run against has its own
# lockfile, so its many optional peers stay out of the extension's tree.
npm ci --no-audit --no-fund --prefix test/servers/better-auth
# A real, certified OpenID Connect provider (oidc-provider) for the OIDC connector's tests.
npm ci --no-audit --no-fund --prefix test/servers/oidc-provider
