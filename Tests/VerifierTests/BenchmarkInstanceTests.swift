import Foundation
import ONNXImport
import Testing
import TestSupport
import VNNLIB
@testable import Verifier
import Z3Backend

/// The five sanity instances of VNN-COMP 2021 (`test/`), against the published truth.
@Suite struct BenchmarkInstanceTests {
    static let instances: [(onnx: String, vnnlib: String, truth: String)] = [
        ("test_nano.onnx", "test_nano.vnnlib", "unsat"),
        ("test_tiny.onnx", "test_tiny.vnnlib", "unsat"),
        ("test_small.onnx", "test_small.vnnlib", "unsat"),
        ("test_sat.onnx", "test_prop.vnnlib", "sat"),
        ("test_unsat.onnx", "test_prop.vnnlib", "unsat"),
    ]

    @Test func truthTableAgrees() throws {
        guard let root = Fixtures.vnncomp2021 else { return }
        let truth = try String(contentsOf: root.appendingPathComponent("truth.csv"), encoding: .utf8)
        for instance in Self.instances {
            #expect(truth.contains("test,\(instance.onnx),\(instance.vnnlib),\(instance.truth)"), "\(instance)")
        }
    }

    @Test(.enabled(if: Fixtures.hasBenchmarks), arguments: Self.instances.map { "\($0.onnx) \($0.vnnlib) \($0.truth)" })
    func verdictMatchesTruth(_ row: String) async throws {
        guard let root = Fixtures.vnncomp2021?.appendingPathComponent("test") else { return }
        let parts = row.split(separator: " ").map(String.init)
        let net = try ONNXLoader.load(contentsOf: root.appendingPathComponent(parts[0]))
        let spec = try PropertyParser.parse(contentsOf: root.appendingPathComponent(parts[1]))
        let report = await VerifierTests.verify(net, spec)
        #expect(report.verdict.word == parts[2], "\(row): \(report.verdict)")
        if case let .violated(cex) = report.verdict {
            #expect(spec.violatedCase(inputs: cex.input, outputs: net.evaluate(cex.input)) != nil)
        }
    }
}
