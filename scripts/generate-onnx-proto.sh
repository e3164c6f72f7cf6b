#!/bin/sh
# Regenerates Sources/ONNXImport/Generated/onnx-subset.pb.swift from onnx-subset.proto.
#
# Run by hand after editing the .proto; no build step runs protoc. Needs protoc
# (apt-get install -y protobuf-compiler) and protoc-gen-swift built from the swift-protobuf
# version the package pins (1.39.0), so the generated code matches the runtime library:
#   swift package resolve
#   (cd .build/checkouts/swift-protobuf &&
#    swift build -c release --product protoc-gen-swift --scratch-path /tmp/protoc-gen-swift-build)
# Set PROTOC_GEN_SWIFT to use a plugin built elsewhere.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
plugin=${PROTOC_GEN_SWIFT:-/tmp/protoc-gen-swift-build/release/protoc-gen-swift}
module="$root/Sources/ONNXImport"

if [ ! -x "$plugin" ]; then
    echo "error: protoc-gen-swift not found at $plugin (see the comment at the top of this script)" >&2
    exit 1
fi

protoc \
    --plugin=protoc-gen-swift="$plugin" \
    --proto_path="$module" \
    --swift_out="$module/Generated" \
    --swift_opt=Visibility=Public \
    "$module/onnx-subset.proto"
echo "wrote $module/Generated/onnx-subset.pb.swift"
