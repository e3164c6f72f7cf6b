// swift-tools-version:6.0
import PackageDescription

/// Coverage-guided fuzz targets (libFuzzer) for Certus's readers of untrusted files.
///
/// A separate package so that the main package's `swift build` / `swift test` never build the
/// fuzzers. The readers' sources are the main package's own (Sources/* here are symbolic links
/// to ../Sources/*), compiled with the sanitizers that `run.sh` passes on the command line.
/// Build and run with `fuzz/run.sh`; see its header.
let package = Package(
    name: "CertusFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
    ],
    targets: [
        .target(name: "ExactArithmetic", dependencies: [.product(name: "BigInt", package: "BigInt")]),
        .target(name: "VNNLIB", dependencies: ["ExactArithmetic"]),
        .target(name: "NetworkIR"),
        .target(
            name: "ONNXImport",
            dependencies: ["NetworkIR", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["onnx-subset.proto"]
        ),
        // libFuzzer supplies `main`; each target defines `LLVMFuzzerTestOneInput`.
        .executableTarget(name: "FuzzVNNLIB", dependencies: ["VNNLIB"]),
        .executableTarget(name: "FuzzONNX", dependencies: ["ONNXImport", "NetworkIR"]),
    ],
    swiftLanguageModes: [.v6]
)
