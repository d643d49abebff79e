#!/usr/bin/env bash
# The tests run a real redis-server and a real Chromium (Debian's): install what is missing (as root, as
# CI runs). Nothing else is downloaded: playwright-core drives /usr/bin/chromium.
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
fi
echo "missing: ${missing[*]}; install them (Debian/Ubuntu: apt-get install -y ${missing[*]})" >&2
exit 1
