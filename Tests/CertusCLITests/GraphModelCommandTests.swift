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

    /// Two convolutions stored sparse (4.6 and 7.8 million dense entries), Relu, Gemm: an interval
    /// bound is proved, a value reached at the box's centre is found and validated, and
    /// `--proof` is refused with one `error:` line and no file.
    @Test func sparseConvolutionNetworkIsProvedAndFalsified() throws {
        let model = Self.fixture("sparse_conv.onnx")
        let unsat = try CertusExecutable.run(["verify", model, Self.fixture("sparse_conv_unsat.vnnlib"), "--timeout", "120"])
        #expect(unsat.status == 0, "\(unsat.standardError)")
        #expect(unsat.standardOutput == "unsat\n")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-sparse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = directory.appendingPathComponent("result.txt").path
        let sat = try CertusExecutable.run(["verify", model, Self.fixture("sparse_conv_sat.vnnlib"), "--timeout", "120", "--result", result])
        #expect(sat.status == 0, "\(sat.standardError)")
        #expect(sat.standardOutput.hasPrefix("sat\n((X_0 "))
        let check = try CertusExecutable.run(["check", model, Self.fixture("sparse_conv_sat.vnnlib"), result])
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")

        let proofPath = directory.appendingPathComponent("proof.jsonl").path
        let proof = try CertusExecutable.run(["verify", model, Self.fixture("sparse_conv_unsat.vnnlib"), "--proof", proofPath])
        #expect(proof.status == 2)
        #expect(proof.standardError.hasPrefix("error: ") && proof.standardError.contains("--proof is not available"))
        #expect(!FileManager.default.fileExists(atPath: proofPath))
    }

    /// Gemm, Sigmoid, Gemm, Tanh, Gemm: bounds prove a robustness property, the attack
    /// falsifies another (validated by `certus check`); without bounds, or with the exact
    /// engine on a property bounds cannot prove, the answer is `unknown` with the reason;
    /// `--proof` and `export` are refused.
    @Test func smoothNetworkByBoundsOnly() throws {
        let model = Self.fixture("smooth_chain.onnx"), unsat = Self.fixture("smooth_unsat.vnnlib"), sat = Self.fixture("smooth_sat.vnnlib")
        let proved = try CertusExecutable.run(["verify", model, unsat, "--timeout", "60"])
        #expect(proved.status == 0, "\(proved.standardError)")
        #expect(proved.standardOutput == "unsat\n")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-smooth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = directory.appendingPathComponent("result.txt").path
        let found = try CertusExecutable.run(["verify", model, sat, "--timeout", "60", "--result", result])
        #expect(found.status == 0, "\(found.standardError)")
        #expect(found.standardOutput.hasPrefix("sat\n((X_0 "))
        let check = try CertusExecutable.run(["check", model, sat, result])
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")

        let noBounds = try CertusExecutable.run(["verify", model, unsat, "--timeout", "60", "--no-bounds"])
        #expect(noBounds.standardOutput == "unknown\n")
        #expect(noBounds.standardError.contains("sigmoid or tanh layers, which Z3 cannot encode exactly"), "\(noBounds.standardError)")
        let exact = try CertusExecutable.run(["verify", model, sat, "--timeout", "60", "--engine", "exact", "--no-attack"])
        #expect(exact.standardOutput == "unknown\n")
        #expect(exact.standardError.contains("sound bounds did not prove case 0"), "\(exact.standardError)")

        let proof = try CertusExecutable.run(["verify", model, unsat, "--proof", directory.appendingPathComponent("p.txt").path])
        #expect(proof.status == 2)
        #expect(proof.standardError.hasPrefix("error: ") && proof.standardError.contains("--proof is not available"))
        let export = try CertusExecutable.run(["export", "--smtlib", model, unsat])
        #expect(export.status == 2)
        #expect(export.standardError.contains("no exact SMT-LIB encoding"))

        // VNN-LIB 2.0 queries build a product of networks aligned at their ReLUs.
        let query = directory.appendingPathComponent("query.vnnlib")
        try """
            (vnnlib-version <2.0>)
            (declare-network f (declare-input X Real [3]) (declare-output Y Real [2]))
            (assert (and (>= X[0] -1) (<= X[0] 1) (>= X[1] -1) (<= X[1] 1) (>= X[2] -1) (<= X[2] 1)))
            (assert (>= Y[0] 100))

            """.write(to: query, atomically: true, encoding: .utf8)
        let product = try CertusExecutable.run(["verify", query.path, "--network", "f=\(model)", "--timeout", "60"])
        #expect(product.status == 2)
        #expect(product.standardError.contains("queries over networks with sigmoid or tanh layers are not supported"), "\(product.standardError)")
    }

    /// Two residual blocks, a Tanh layer between them and a Sigmoid head: bounds of the lowered
    /// chain prove a bound of Y_0 found by interval arithmetic, and the attack reaches a value
    /// found at the box's centre (validated by `certus check`).
    /// The same for smooth_skip.onnx, whose input is carried across a tanh layer.
    @Test(arguments: ["smooth_graph", "smooth_skip"])
    func smoothGraphIsProvedAndFalsified(_ stem: String) throws {
        let model = Self.fixture("\(stem).onnx")
        let unsat = try CertusExecutable.run(["verify", model, Self.fixture("\(stem)_unsat.vnnlib"), "--timeout", "60"])
        #expect(unsat.status == 0, "\(unsat.standardError)")
        #expect(unsat.standardOutput == "unsat\n")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-smooth-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = directory.appendingPathComponent("result.txt").path
        let sat = try CertusExecutable.run(["verify", model, Self.fixture("\(stem)_sat.vnnlib"), "--timeout", "60", "--result", result])
        #expect(sat.status == 0, "\(sat.standardError)")
        #expect(sat.standardOutput.hasPrefix("sat\n((X_0 "))
        let check = try CertusExecutable.run(["check", model, Self.fixture("\(stem)_sat.vnnlib"), result])
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")

    }
}
