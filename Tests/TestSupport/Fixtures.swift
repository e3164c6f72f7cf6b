import Foundation

/// Locates test data: the fixtures committed under `Tests/Fixtures`, and the real VNN-COMP
/// benchmarks in the folder named by `CERTUS_BENCHMARKS` (default `../shared/benchmarks`).
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
    public static var vnncomp2021: URL? {
        let env = ProcessInfo.processInfo.environment["CERTUS_BENCHMARKS"]
        let base = env.map { URL(fileURLWithPath: $0) }
            ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/benchmarks")
        let url = base.appendingPathComponent("vnncomp2021")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        print("note: VNN-COMP benchmarks not found at \(url.path); set CERTUS_BENCHMARKS. Skipping benchmark tests.")
        return nil
    }

    /// True when the benchmarks folder exists; use as `.enabled(if: Fixtures.hasBenchmarks)`.
    public static var hasBenchmarks: Bool { vnncomp2021 != nil }
}
