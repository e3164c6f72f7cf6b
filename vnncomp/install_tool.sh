#!/bin/sh
# VNN-COMP tool interface (the competition's install, prepare and run scripts): install_tool.sh v1
# Builds the certus binary this folder's run_instance.sh calls (.build/release/certus).
set -eu
if [ "$#" -ne 1 ] || [ "$1" != "v1" ]; then
    echo "usage: install_tool.sh v1" >&2
    exit 1
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v swift > /dev/null 2>&1; then
    echo "install_tool.sh: swift (6.0 or later) is needed to build Certus" >&2
    exit 1
fi
if command -v apt-get > /dev/null 2>&1 && [ ! -e /usr/include/z3.h ]; then
    apt-get install -y libz3-dev
fi
cd "$ROOT"
swift build -c release --product certus
echo "installed: $ROOT/.build/release/certus"
