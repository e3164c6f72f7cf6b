import Foundation
import NetworkIR
import ONNXImport
import Search
import Testing
@testable import SoundnessBench

@Suite struct GeneratorSmokeTests {
    @Test func pocketModelSmoke() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sb-smoke-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = GeneratorOptions(seed: 3, models: [try ModelSpec.parse("mlp:4:8x8:2:pocket:2+2"),
                                                         try ModelSpec.parse("cnn:1x5x5:2k3s1:8:2:pocket:2+1"),
                                                         try ModelSpec.parse("mlp:3:8x8:2:trained:1+1")])
        options.attack = HidingAttack(restarts: 10, steps: 30, uniformSamples: 200, cornerSamples: 16)
        options.trainingEpochs = 300
        let summary = try BenchmarkGenerator(options: options).generate(into: dir) { print($0) }
        print(summary.dropped)
        for i in summary.instances { print(i.vnnlib, i.label, i.placement ?? "-", i.marginFloat64 ?? .nan, i.attack?.found ?? false, i.provedSafe ?? false) }
        print(try String(contentsOf: dir.appendingPathComponent("instances.csv"), encoding: .utf8))
    }
}
