import Foundation
import Testing
import TestSupport

/// `certus verify` on graph models and on chains with operators beyond affine and ReLU: a
/// property proved, one falsified with a counterexample that `certus check` accepts.
@Suite struct GraphModelCommandTests {
    static func fixture(_ name: String) -> String { Fixtures.url("graph/\(name)").path }

    /// `STEM_unsat.vnnlib` is `unsat` on `STEM.onnx`; `STEM_sat.vnnlib` is `sat` with a
    /// counterexample that `certus check` accepts (written to a file under `directory`).
    static func expectProvedAndFalsified(_ stem: String, in directory: URL) throws {
        let model = fixture("\(stem).onnx")
        let unsat = try CertusExecutable.run(["verify", model, fixture("\(stem)_unsat.vnnlib"), "--timeout", "120"])
        #expect(unsat.status == 0, "\(stem): \(unsat.standardError)")
        #expect(unsat.standardOutput == "unsat\n", "\(stem)")

        let result = directory.appendingPathComponent("\(stem)-result.txt").path
        let sat = try CertusExecutable.run(["verify", model, fixture("\(stem)_sat.vnnlib"), "--timeout", "120", "--result", result])
        #expect(sat.status == 0, "\(stem): \(sat.standardError)")
        #expect(sat.standardOutput.hasPrefix("sat\n((X_0 "), "\(stem)")
        let check = try CertusExecutable.run(["check", model, fixture("\(stem)_sat.vnnlib"), result])
        #expect(check.status == 0, "\(stem): \(check.standardOutput) \(check.standardError)")
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// residual: skip connections from the input and from a hidden sum. pool_chain: Conv,
    /// Pad, AveragePool (an exact divide), Relu, Gemm. smooth_graph: two residual blocks, a
    /// Tanh layer between them and a Sigmoid head. smooth_skip: the input carried across a
    /// Tanh layer, then a ReLU beside a Sigmoid. Each `unsat` property lies beyond a bound
    /// found by interval arithmetic (or, for residual, well above the sampled maximum); each
    /// `sat` one is reached at the box's centre.
    @Test(arguments: ["residual", "pool_chain", "smooth_graph", "smooth_skip"])
    func networkIsProvedAndFalsified(_ stem: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.expectProvedAndFalsified(stem, in: directory)
    }

    /// Two convolutions stored sparse (4.6 and 7.8 million dense entries), Relu, Gemm: proved
    /// and falsified as above, and `--proof` is refused with one `error:` line and no file.
    @Test func sparseConvolutionNetworkIsProvedAndFalsified() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.expectProvedAndFalsified("sparse_conv", in: directory)

        let proofPath = directory.appendingPathComponent("proof.jsonl").path
        let proof = try CertusExecutable.run(["verify", Self.fixture("sparse_conv.onnx"), Self.fixture("sparse_conv_unsat.vnnlib"),
                                              "--proof", proofPath])
        #expect(proof.status == 2)
        #expect(proof.standardError.hasPrefix("error: ") && proof.standardError.contains("--proof is not available"))
        #expect(!FileManager.default.fileExists(atPath: proofPath))
    }

    /// smooth_chain.onnx has 3 inputs: a bound of Y_0 that bounds over the whole box do not
    /// reach (interval arithmetic on 1,728 sub-boxes found it) is proved by splitting inputs,
    /// every node on bounds alone; the exact engine, which cannot split, answers `unknown`.
    @Test func smoothNetworkWithFewInputsIsSplit() throws {
        let model = Self.fixture("smooth_chain.onnx"), property = Self.fixture("smooth_split_unsat.vnnlib")
        let proved = try CertusExecutable.run(["verify", model, property, "--timeout", "60", "--json"])
        #expect(proved.status == 0, "\(proved.standardError)")
        #expect(proved.standardOutput.contains("\"result\":\"unsat\""), "\(proved.standardOutput)")
        #expect(proved.standardOutput.contains("0 Z3 leaves"), "\(proved.standardOutput)")
        let exact = try CertusExecutable.run(["verify", model, property, "--timeout", "60", "--engine", "exact"])
        #expect(exact.standardOutput == "unknown\n")
        #expect(exact.standardError.contains("sound bounds did not prove case 0"), "\(exact.standardError)")
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

        let directory = try Self.temporaryDirectory()
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
}
