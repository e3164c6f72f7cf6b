// swift-tools-version:6.0
import PackageDescription

/// Certus: a formal verifier for neural networks on the Z3 SMT solver.
/// One module per stage (docs/ARCHITECTURE.md); dependencies point one way.
let package = Package(
    name: "Certus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "certus", targets: ["certus"]),
        // Verification from Swift programs without the command line: `Instance` reads and
        // checks the files, `Instance.verify` decides; the Verifier module names the options and
        // the report, ResultCodec the result file.
        .library(name: "CertusKit", targets: ["CertusKit", "Verifier", "ResultCodec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Thin C shim exposing <z3.h>; flags from z3.pc via pkg-config.
        .systemLibrary(name: "CZ3", pkgConfig: "z3", providers: [.apt(["libz3-dev"]), .brew(["z3"])]),
        // COIN-OR CLP, the linear-program solver behind the convex-hull bounds (coinor-libclp-dev).
        .systemLibrary(name: "CClp", pkgConfig: "clp", providers: [.apt(["coinor-libclp-dev"]), .brew(["clp"])]),
        .target(name: "LinearPrograms", dependencies: ["CClp"]),
        .target(name: "ExactArithmetic", dependencies: [.product(name: "BigInt", package: "BigInt")]),
        .target(name: "SMT", dependencies: ["ExactArithmetic"]),
        .target(name: "Z3Backend",
                dependencies: ["CZ3", "SMT", "ExactArithmetic", .product(name: "BigInt", package: "BigInt")]),
        // Reads users' files whole, with a size limit and plain-worded failures (ONNX and VNN-LIB).
        .target(name: "FileReading"),
        .target(name: "VNNLIB", dependencies: ["ExactArithmetic", "FileReading"]),
        // The VNN-COMP result file, read and written, and its words: one codec for the command
        // line and SoundnessBench.
        .target(name: "ResultCodec"),
        .target(name: "NetworkIR"),
        // AVX2/FMA matrix kernel for Bounds, selected at run time (portable fallback in Swift).
        .target(name: "CBoundsKernels"),
        .target(name: "Bounds", dependencies: ["NetworkIR", "VNNLIB", "ExactArithmetic", "CBoundsKernels", "LinearPrograms"]),
        .target(name: "Encoding", dependencies: ["NetworkIR", "VNNLIB", "SMT", "ExactArithmetic", "Bounds"]),
        .target(name: "Verifier", dependencies: ["NetworkIR", "VNNLIB", "Bounds", "Encoding", "Search", "SMT", "ExactArithmetic", "ResultCodec",
                                               .product(name: "HeapModule", package: "swift-collections")]),
        .target(name: "CertusKit", dependencies: ["Verifier", "Z3Backend", "ONNXImport", "VNNLIB", "NetworkIR", "Search"]),
        // The proof-certificate checker: deliberately independent of Bounds, Search and Verifier.
        // SHA-256 (swift-crypto) binds a certificate to its ONNX and VNN-LIB files.
        .target(name: "Certify", dependencies: ["NetworkIR", "VNNLIB", "ExactArithmetic", "SMT",
                                                .product(name: "BigInt", package: "BigInt"),
                                                .product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(
            name: "certus",
            dependencies: [
                "Verifier", "Certify", "Encoding", "ExactArithmetic", "Z3Backend", "ONNXImport", "VNNLIB", "NetworkIR", "Bounds",
                "Search", "SMT", "SoundnessBench", "FileReading", "ResultCodec", "CertusKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "Search", dependencies: ["NetworkIR", "VNNLIB", "ExactArithmetic", "Bounds", "Encoding", "SMT"]),
        .target(name: "TestSupport", dependencies: ["NetworkIR", "VNNLIB"], path: "Tests/TestSupport"),
        .testTarget(name: "ExactArithmeticTests", dependencies: ["ExactArithmetic", .product(name: "BigInt", package: "BigInt")]),
        .testTarget(name: "NetworkIRTests", dependencies: ["NetworkIR", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "NetworkIR", "VNNLIB", "ExactArithmetic", "SMT", "Z3Backend", "ONNXImport", "TestSupport"]),
        .target(
            name: "ONNXImport",
            dependencies: ["NetworkIR", "FileReading", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["onnx-subset.proto"]
        ),
        .testTarget(name: "ONNXImportTests", dependencies: ["ONNXImport", "NetworkIR", "TestSupport"]),
        .testTarget(name: "BoundsTests", dependencies: ["Bounds", "LinearPrograms", "NetworkIR", "VNNLIB", "ExactArithmetic", "ONNXImport", "Search", "TestSupport"]),
        // Independent of Verifier and Z3Backend: it tests verifiers, Certus included, from outside.
        .target(
            name: "SoundnessBench",
            dependencies: ["NetworkIR", "ONNXImport", "VNNLIB", "Search", "ExactArithmetic", "Bounds", "ResultCodec", "Certify",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "BigInt", package: "BigInt")]
        ),
        .testTarget(name: "SoundnessBenchTests",
                    dependencies: ["SoundnessBench", "NetworkIR", "ONNXImport", "VNNLIB", "Search", "ExactArithmetic", "ResultCodec", "TestSupport",
                                   "Certify"]),
        .testTarget(name: "ResultCodecTests", dependencies: ["ResultCodec"]),
        .testTarget(name: "CertusKitTests", dependencies: ["CertusKit", "Verifier", "TestSupport"]),
        .testTarget(name: "VNNLIBTests", dependencies: ["VNNLIB", "TestSupport", "ExactArithmetic"]),
        .testTarget(name: "EncodingTests", dependencies: ["Encoding", "Bounds", "SMT", "NetworkIR", "VNNLIB", "ExactArithmetic"]),
        .testTarget(name: "VerifierTests", dependencies: ["Verifier", "Bounds", "Encoding", "Search", "Z3Backend", "ONNXImport", "VNNLIB", "NetworkIR", "SMT", "ExactArithmetic", "TestSupport"]),
        .testTarget(name: "CertusCLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "CertifyTests", dependencies: ["Certify", "Verifier", "ONNXImport", "VNNLIB", "NetworkIR", "ExactArithmetic",
                                                         "Z3Backend", "SMT", "TestSupport"]),
        .testTarget(name: "SMTTests", dependencies: ["SMT", "ExactArithmetic"]),
        .testTarget(name: "Z3BackendTests", dependencies: ["Z3Backend", "SMT", "ExactArithmetic", "Search"]),
    ],
    swiftLanguageModes: [.v6]
)
