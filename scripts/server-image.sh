#!/usr/bin/env bash
# Builds a container image holding this machine's redis-server, redis-cli and memcached, for
# testing the container path of servers/provision.ts where no registry can be pulled from (the
# official redis and memcached images come from Docker Hub). The image is named by
# SESSION_CONFORMANCE_REDIS_IMAGE and SESSION_CONFORMANCE_MEMCACHED_IMAGE so the provisioning
# uses it instead of redis:7-alpine / memcached:1.6-alpine.
#
# Like those images it runs as an unprivileged user and carries a busybox shell with the tools
# testcontainers' port check execs (sh, cat, awk, grep, nc).
#
# Usage: scripts/server-image.sh [image-name]   (default session-store-conformance/servers:local)
# Needs: docker (a running engine), redis-server, redis-cli, memcached, busybox (static).
set -euo pipefail
image="${1:-session-store-conformance/servers:local}"

for tool in docker redis-server redis-cli memcached busybox; do
  command -v "$tool" >/dev/null || { echo "server-image: $tool is not on PATH" >&2; exit 2; }
done
if ldd "$(command -v busybox)" >/dev/null 2>&1; then
  echo "server-image: busybox must be the static build (Debian: busybox-static)" >&2
  exit 2
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/data"
chmod 1777 "$root/tmp" "$root/data"

# Each server binary with the shared libraries it links, at the paths the loader looks for them.
for binary in redis-server redis-cli memcached; do
  path="$(readlink -f "$(command -v "$binary")")"
  cp -L "$path" "$root/bin/$binary"
  for lib in $(ldd "$path" | grep -oE '/[^ ]+'); do
    cp --parents -L "$lib" "$root"
  done
done
cp "$(command -v busybox)" "$root/bin/busybox"
for applet in sh cat awk grep nc sleep mkdir; do ln -s busybox "$root/bin/$applet"; done

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/bin' -c 'USER 65534' -c 'WORKDIR /data' -c 'CMD ["sh"]' \
  -m "redis-server $(redis-server --version | grep -oE 'v=[^ ]+'), memcached $(memcached -V | cut -d' ' -f2), from the host" \
  - "$image" >/dev/null
echo "$image"
