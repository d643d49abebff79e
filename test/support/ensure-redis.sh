#!/usr/bin/env bash
# The Redis tests start a real redis-server: install Debian's when it is missing (as root, as CI runs).
command -v redis-server >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && apt-get install -y -qq redis-server >/dev/null && exit 0
fi
echo "redis-server is missing: install it (Debian/Ubuntu: apt-get install -y redis-server)" >&2
exit 1
