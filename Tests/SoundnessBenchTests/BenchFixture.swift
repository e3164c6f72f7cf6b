import Foundation
@testable import SoundnessBench

/// A small generated benchmark shared by the tests (generated once per test process), and
/// helpers to write verifier scripts.
enum BenchFixture {
    /// Small budgets so that the debug build generates in seconds; the hidden-ness check still
    /// runs sampling and PGD with restarts.
    static let attack = HidingAttack(restarts: 20, steps: 50, uniformSamples: 400, cornerSamples: 32)

    static let options = GeneratorOptions(
        seed: 2024,
        models: [
            ModelSpec(kind: .mlp, inputShape: [4], hidden: [8, 8], classes: 2, planting: .pocket, unverifiable: 3, clean: 2),
            ModelSpec(kind: .mlp, inputShape: [6], hidden: [10], classes: 3, planting: .pocket, unverifiable: 2, clean: 1),
            ModelSpec(kind: .cnn, inputShape: [1, 5, 5], convolutions: [.init(channels: 2, kernel: 3, stride: 1)],
                      hidden: [8], classes: 2, planting: .pocket, unverifiable: 2, clean: 1),
        ],
        attack: attack, hidingRounds: 4)

    static let generated: Result<(directory: URL, summary: BenchmarkGenerator.Summary), any Error> = Result {
        let directory = temporaryDirectory("bench")
        let summary = try BenchmarkGenerator(options: options).generate(into: directory)
        return (directory, summary)
    }

    /// The shared benchmark.
    static func bench() throws -> (directory: URL, summary: BenchmarkGenerator.Summary) { try generated.get() }

    /// A fresh folder under the system's temporary folder.
    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("certus-sb-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes an executable `/bin/sh` script and returns its path.
    static func script(_ body: String, in directory: URL, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }
}
