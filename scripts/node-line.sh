#!/usr/bin/env bash
# Runs a command on a given Node line, with the Node binary from the npm registry's
# node-<os>-<arch> package installed under .tmp/node-lines/ in this checkout, so that nobody
# needs a version manager or a download from anywhere else. Native addons build against the
# same package's headers (npm_config_nodedir).
#
#   scripts/node-line.sh 24                           npm test on Node 24
#   scripts/node-line.sh 26 npm run bench -- --quick  any command on Node 26
#   npm run test:node -- 22                           the same as the first, through npm
set -euo pipefail

if [[ ! ${1:-} =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/node-line.sh MAJOR [COMMAND...]" >&2
  echo "  MAJOR    a Node major version: 22, 24 or 26 are the supported lines" >&2
  echo "  COMMAND  what to run on it (default: npm test)" >&2
  exit 2
fi
major=$1
shift
cd "$(dirname "$0")/.."

case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
package="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$arch"
home=".tmp/node-lines/$major"
node_dir="$PWD/$home/node_modules/$package"

if [ ! -x "$node_dir/bin/node" ]; then
  echo "installing Node $major: $package@$major from the npm registry into $home" >&2
  mkdir -p "$home"
  if ! npm install --prefix "$home" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$package@$major" >&2; then
    echo "could not install Node $major ($package@$major) from the npm registry" >&2
    exit 1
  fi
fi

export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
[ $# -gt 0 ] || set -- npm test
exec "$@"
