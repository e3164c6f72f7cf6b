import Foundation
import Testing

/// Locates test data: the fixtures committed under `Tests/Fixtures`, and the real VNN-COMP
/// benchmarks in the folder named by `CERTUS_BENCHMARKS` (default: `shared/benchmarks` beside the repository, where `.ci/run` provides the data).
public enum Fixtures {
    /// The repository root, found from this source file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TestSupport/Fixtures.swift
        return url
    }()

    /// `Tests/Fixtures/<name>`.
    public static func url(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// The VNN-COMP 2021 folder (`…/vnncomp2021`), or nil (with a printed notice) when absent.
    /// The names of the visible files in fixture folder `folder`, sorted (empty when absent).
    public static func fileNames(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    public static var vnncomp2021: URL? {
        let env = ProcessInfo.processInfo.environment["CERTUS_BENCHMARKS"]
        let base = env.map { URL(fileURLWithPath: $0) }
            ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/benchmarks")
        let url = base.appendingPathComponent("vnncomp2021")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        print("note: VNN-COMP benchmarks not found at \(url.path); set CERTUS_BENCHMARKS. Skipping benchmark tests.")
        return nil
    }

    /// True when the benchmarks folder exists.
    public static var hasBenchmarks: Bool { vnncomp2021 != nil }
}

extension Trait where Self == ConditionTrait {
    /// Runs a test or suite only when the VNN-COMP benchmarks are present; otherwise it is
    /// reported as skipped, with the reason, rather than passing without having run.
    public static var requiresBenchmarks: Self {
        .enabled(if: Fixtures.hasBenchmarks, "VNN-COMP benchmarks not found; set CERTUS_BENCHMARKS")
    }
}

/// Runs the built `certus` executable, for tests of the command line as a user sees it.
public enum CertusExecutable {
    /// The `certus` binary that `swift test` builds next to the test bundle, or nil.
    public static var url: URL? {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDirectory, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("certus") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The result of one run.
    public struct Run: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        public var seconds: Double
    }

    /// Runs `certus` with `arguments` and waits for it.
    public static func run(_ arguments: [String]) throws -> Run {
        guard let url else { throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "certus executable not built"]) }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = Date()
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                   standardError: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }
}
