import Foundation
import Testing
import TestSupport

/// `certus verify` on a residual network (skip connections from the input and from a hidden
/// sum): a property proved, one falsified with a counterexample that `certus check` accepts.
@Suite struct GraphModelCommandTests {
    static func fixture(_ name: String) -> String { Fixtures.url("graph/\(name)").path }

    @Test func residualNetworkIsProvedAndFalsified() throws {
        let unsat = try CertusExecutable.run(["verify", Self.fixture("residual.onnx"), Self.fixture("residual_unsat.vnnlib"), "--timeout", "120"])
        #expect(unsat.status == 0, "\(unsat.standardError)")
        #expect(unsat.standardOutput == "unsat\n")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = directory.appendingPathComponent("result.txt").path
        let sat = try CertusExecutable.run(["verify", Self.fixture("residual.onnx"), Self.fixture("residual_sat.vnnlib"),
                                            "--timeout", "120", "--result", result])
        #expect(sat.status == 0, "\(sat.standardError)")
        #expect(sat.standardOutput.hasPrefix("sat\n((X_0 "))
        let check = try CertusExecutable.run(["check", Self.fixture("residual.onnx"), Self.fixture("residual_sat.vnnlib"), result])
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")
    }

    /// Conv, Pad, AveragePool (an exact divide), Relu, Gemm: a bound above the sampled maximum
    /// is proved, and a value reached at the box's centre is found and validated.
    @Test func poolingNetworkIsProvedAndFalsified() throws {
        let unsat = try CertusExecutable.run(["verify", Self.fixture("pool_chain.onnx"), Self.fixture("pool_chain_unsat.vnnlib"), "--timeout", "120"])
        #expect(unsat.status == 0, "\(unsat.standardError)")
        #expect(unsat.standardOutput == "unsat\n")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-pool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = directory.appendingPathComponent("result.txt").path
        let sat = try CertusExecutable.run(["verify", Self.fixture("pool_chain.onnx"), Self.fixture("pool_chain_sat.vnnlib"),
                                            "--timeout", "120", "--result", result])
        #expect(sat.status == 0, "\(sat.standardError)")
        #expect(sat.standardOutput.hasPrefix("sat\n((X_0 "))
        let check = try CertusExecutable.run(["check", Self.fixture("pool_chain.onnx"), Self.fixture("pool_chain_sat.vnnlib"), result])
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")
    }
}
