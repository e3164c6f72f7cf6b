import CertusKit
import Foundation
import Testing
import TestSupport
import Verifier

/// The example in `Instance`'s documentation and the README, run as written (paths from the
/// repository root), so that it stays true.
@Suite struct CertusKitExampleTests {
    static func path(_ relative: String) -> String {
        Fixtures.repositoryRoot.appendingPathComponent(relative).path
    }

    @Test func documentedExampleProvesTheSmallProperty() async throws {
        let instance = try Instance(model: Self.path("benchmarks/examples/mlp_5x20x20x5.onnx"),
                                    property: Self.path("vnnlib/robust_small.vnnlib"))
        let report = await instance.verify(options: VerifierOptions(timeout: .seconds(10)))
        #expect(report.verdict.word == .unsat)
    }

    @Test func counterexamplesComeChecked() async throws {
        let instance = try Instance(model: Self.path("benchmarks/examples/mlp_5x20x20x5.onnx"),
                                    property: Self.path("vnnlib/robust_large.vnnlib"))
        let report = await instance.verify()
        guard case let .violated(cex) = report.verdict else {
            Issue.record("expected a counterexample, got \(report.verdict)")
            return
        }
        #expect(cex.marginDouble >= 0)
        #expect(instance.specification.violatedCase(inputs: cex.input, outputs: instance.network.evaluate(cex.input)) != nil)
    }

    @Test func filesThatDoNotMatchAreOneLineErrors() {
        #expect(throws: Instance.LoadError.self) {
            try Instance(model: Self.path("Tests/Fixtures/onnx/matmul_add.onnx"), property: Self.path("vnnlib/robust_small.vnnlib"))
        }
        do {
            _ = try Instance(model: "missing.onnx", property: Self.path("vnnlib/robust_small.vnnlib"))
            Issue.record("a missing model must be an error")
        } catch {
            #expect(error.description == "missing.onnx: cannot read the file: no such file")
        }
    }
}
