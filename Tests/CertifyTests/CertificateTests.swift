import Foundation
import NetworkIR
import ONNXImport
import Testing
import TestSupport
import VNNLIB
import Verifier
import Z3Backend
@testable import Certify

/// `verify --proof` certificates are accepted by the independent checker, and tampered ones,
/// or ones checked against a different network, are rejected with the failing record named.
struct CertificateTests {
    /// y0 = relu(x0 + x1), y1 = relu(x0 − x1) (a committed fixture), over [0, 1]²: y0 + y1 = 2·x0
    /// when x0 ≥ x1 and 2·x1 otherwise, so at most 2.
    static let network = Fixtures.url("cli/relu_sum_diff.onnx")

    static func property(_ unsafe: String) throws -> Specification {
        let text = """
        (declare-const X_0 Real)
        (declare-const X_1 Real)
        (declare-const Y_0 Real)
        (declare-const Y_1 Real)
        (assert (>= X_0 0.0))
        (assert (<= X_0 1.0))
        (assert (>= X_1 0.0))
        (assert (<= X_1 1.0))
        \(unsafe)
        """
        return try PropertyParser.parse(text: text, fileName: "property.vnnlib")
    }

    /// Runs the verifier with a recorder; returns the verdict and the certificate's lines.
    static func prove(_ network: Network, _ spec: Specification, leafThreshold: Int? = nil) async throws -> (Verdict, [String]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("certify-test-\(UUID().uuidString).cert").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try ProofRecorder(path: path, caseCount: spec.cases.count, inputCount: network.inputSize,
                                         outputCount: network.outputSize)
        var options = VerifierOptions()
        options.proofRecorder = recorder
        options.jobs = 2
        options.leafThreshold = leafThreshold
        let report = await Verifier(network: network, specification: spec, options: options, makeSolver: { Z3Solver() }).verify()
        guard case .holds = report.verdict else {
            recorder.discard()
            #expect(!FileManager.default.fileExists(atPath: path), "no certificate without unsat")
            return (report.verdict, [])
        }
        try recorder.finish()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return (report.verdict, text.split(separator: "\n").map(String.init))
    }

    /// Checks certificate lines.
    static func certify(_ network: Network, _ spec: Specification, _ lines: [String],
                        parallelism: Int? = nil) throws -> CertificateChecker.Report {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("certify-test-\(UUID().uuidString).cert").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        var options = CertificateChecker.Options()
        if let parallelism { options.parallelism = parallelism }
        return try CertificateChecker(network: network, specification: spec, options: options).check(path: path)
    }

    @Test func acceptsTheCertificateOfAnUnsatProofAndRejectsTamperedOnes() async throws {
        let network = try ONNXLoader.load(contentsOf: Self.network)
        let spec = try Self.property("(assert (>= (+ Y_0 Y_1) 2.1))")
        let (verdict, lines) = try await Self.prove(network, spec)
        #expect(verdict == .holds)
        #expect(lines.first?.contains("\"version\":2") == true)
        #expect(lines.last?.hasPrefix("{\"t\":\"end\"") == true)
        let valid = try Self.certify(network, spec, lines)
        #expect(valid.isValid, "\(valid.failure ?? "")")
        #expect(valid.boundRefutations > 1, "the proof needs splits")

        // A leaf removed: its box is a hole in the cover.
        let leaf = try #require(lines.lastIndex { $0.contains("\"t\":\"refute\"") })
        var holed = lines
        holed.remove(at: leaf)
        let hole = try Self.certify(network, spec, holed)
        #expect(hole.failure?.contains("unrefuted") == true, "\(hole.failure ?? "accepted")")

        // A truncated file (no end record).
        let truncated = try Self.certify(network, spec, Array(lines.dropLast()))
        #expect(truncated.failure?.contains("truncated") == true)

        // A split whose midpoint moved: the children no longer match the refuted boxes, so some
        // bound fails (the midpoint is where the proof's two halves meet).
        let split = try #require(lines.firstIndex { $0.contains("\"t\":\"split\"") && $0.contains("\"node\":0,") })
        var moved = lines
        moved[split] = lines[split].replacingOccurrences(of: "\"mid\":\"0x1p-1\"", with: "\"mid\":\"0x1p+0\"")
        #expect(moved[split] != lines[split])
        #expect(try Self.certify(network, spec, moved).isValid == false)
    }

    /// At an input split both children are bounded side by side: the verdict, the counts and the
    /// failure named are those of a single thread, for valid and tampered certificates alike.
    @Test func inputSplitTreesCheckAlikeOnAnyThreadCount() async throws {
        let network = try ONNXLoader.load(contentsOf: Self.network)
        let spec = try Self.property("(assert (>= (+ Y_0 Y_1) 2.1))")
        let (_, lines) = try await Self.prove(network, spec)
        let leaf = try #require(lines.lastIndex { $0.contains("\"t\":\"refute\"") })
        var holed = lines
        holed.remove(at: leaf)
        var weakened = lines
        weakened[leaf] = lines[leaf].replacingOccurrences(of: #""atom":\d+,"#, with: "\"weights\":[[0,\"0x1p-60\"]],",
                                                          options: .regularExpression)
        #expect(weakened[leaf] != lines[leaf])
        for certificate in [lines, holed, weakened] {
            let reports = try [1, 2, 4].map { try Self.certify(network, spec, certificate, parallelism: $0) }
            #expect(Set(reports.map { $0.failure ?? "valid" }).count == 1, "\(reports.map(\.failure))")
            #expect(Set(reports.map(\.boundRefutations)).count == 1)
            #expect(Set(reports.map(\.nodes)).count == 1)
        }
        #expect(try Self.certify(network, spec, lines, parallelism: 2).isValid)
        #expect(try !Self.certify(network, spec, weakened, parallelism: 2).isValid)
    }

    /// The multipliers that combine the case's constraints decide the bound: weight on the
    /// constraint that proves the case is accepted, weight moved to one that cannot is rejected.
    @Test func changedConstraintMultipliersAreRejected() async throws {
        let network = try ONNXLoader.load(contentsOf: Self.network)
        let spec = try Self.property("(assert (>= (+ Y_0 Y_1) 2.1))\n(assert (<= Y_0 5.0))")
        let (verdict, lines) = try await Self.prove(network, spec)
        #expect(verdict == .holds)
        let constraints = spec.cases[0].inputConstraints + spec.cases[0].outputConstraints
        let sum = try #require(constraints.firstIndex { $0.expression.terms.count == 2 })
        let other = try #require(constraints.indices.first { $0 != sum })
        let index = try #require(lines.firstIndex { $0.contains("\"t\":\"refute\"") && $0.contains("\"atom\":\(sum),") })
        func withWeights(_ constraint: Int) -> [String] {
            var copy = lines
            copy[index] = lines[index].replacingOccurrences(of: "\"atom\":\(sum),", with: "\"weights\":[[\(constraint),\"0x1p+0\"]],")
            return copy
        }
        let same = try Self.certify(network, spec, withWeights(sum))
        #expect(same.isValid, "\(same.failure ?? "")")
        let moved = try Self.certify(network, spec, withWeights(other))
        #expect(moved.failure?.contains("does not refute") == true, "\(moved.failure ?? "accepted")")
        #expect(moved.failure?.contains("line \(index + 1)") == true, "the failing record is named")
    }

    @Test func aCertificateDoesNotCarryOverToAChangedWeight() async throws {
        let network = try ONNXLoader.load(contentsOf: Self.network)
        let spec = try Self.property("(assert (>= (+ Y_0 Y_1) 2.1))")
        let (_, lines) = try await Self.prove(network, spec)
        // The same network with the first weight 1 → 1.25: y0 + y1 reaches 2.25 at x = (1, 0).
        guard case let .affine(first) = network.layers[0] else { Issue.record("not affine"); return }
        var storage = first.weights.storage
        storage[0] = 1.25
        var layers = network.layers
        layers[0] = .affine(AffineLayer(weights: Matrix(rows: first.weights.rows, columns: first.weights.columns, storage: storage),
                                        bias: first.bias))
        let changed = try Network(inputShape: network.inputShape, layers: layers)
        let report = try Self.certify(changed, spec, lines)
        #expect(report.failure?.contains("does not refute") == true, "\(report.failure ?? "accepted")")
    }

    /// A Z3 leaf over the whole box: valid for an unsat case, rejected for a satisfiable one.
    @Test func z3LeavesAreReDecidedByTheCheckersOwnQuery() throws {
        let network = try ONNXLoader.load(contentsOf: Self.network)
        func certificate(_ spec: Specification) -> [String] {
            ["{\"format\":\"certus-certificate\",\"version\":1,\"inputs\":2,\"outputs\":2,\"cases\":1,\"slope_bits\":24}",
             "{\"t\":\"group\",\"node\":0,\"cases\":[0],\"lower\":[\"0x0p+0\",\"0x0p+0\"],\"upper\":[\"0x1p+0\",\"0x1p+0\"]}",
             "{\"t\":\"z3\",\"node\":0,\"case\":0,\"answer\":\"unsat\",\"query\":\"(check-sat)\"}",
             "{\"t\":\"end\",\"nodes\":1}"]
        }
        let unsat = try Self.property("(assert (>= (+ Y_0 Y_1) 2.1))")
        let accepted = try Self.certify(network, unsat, certificate(unsat))
        #expect(accepted.isValid, "\(accepted.failure ?? "")")
        #expect(accepted.solverRefutations == 1)
        let sat = try Self.property("(assert (>= (+ Y_0 Y_1) 1.9))")
        let rejected = try Self.certify(network, sat, certificate(sat))
        #expect(rejected.failure?.contains("answers sat") == true, "\(rejected.failure ?? "accepted")")
    }

    /// With every node sent to Z3 (a leaf threshold above the network's 2 ReLUs), the
    /// certificate's leaves are Z3 leaves, and the checker re-decides each with its own query.
    @Test func z3LeavesOfARealRunCertify() async throws {
        let network = try ONNXLoader.load(contentsOf: Self.network)
        let spec = try Self.property("(assert (>= (+ Y_0 Y_1) 2.1))\n(assert (>= Y_1 0.5))")
        let (verdict, lines) = try await Self.prove(network, spec, leafThreshold: 2)
        #expect(verdict == .holds)
        let z3 = lines.filter { $0.contains("\"t\":\"z3\"") }
        #expect(!z3.isEmpty && z3.allSatisfy { $0.contains("(check-sat)") }, "the leaves carry their SMT-LIB queries")
        let report = try Self.certify(network, spec, lines)
        #expect(report.isValid, "\(report.failure ?? "")")
        #expect(report.solverRefutations == z3.count)
    }

    @Test func aRootBoxSmallerThanTheCaseIsRejected() throws {
        let network = try ONNXLoader.load(contentsOf: Self.network)
        let spec = try Self.property("(assert (>= (+ Y_0 Y_1) 2.1))")
        let lines = ["{\"format\":\"certus-certificate\",\"version\":1,\"inputs\":2,\"outputs\":2,\"cases\":1,\"slope_bits\":24}",
                     "{\"t\":\"group\",\"node\":0,\"cases\":[0],\"lower\":[\"0x0p+0\",\"0x0p+0\"],\"upper\":[\"0x1p-1\",\"0x1p+0\"]}",
                     "{\"t\":\"end\",\"nodes\":1}"]
        let report = try Self.certify(network, spec, lines)
        #expect(report.failure?.contains("does not contain") == true, "\(report.failure ?? "accepted")")
    }
}

/// Real ACAS Xu proofs certify (a quick instance, so that the debug build stays fast).
@Suite(.requiresBenchmarks) struct ACASXuCertificateTests {
    @Test func acasXuProofCertifies() async throws {
        let root = try #require(Fixtures.vnncomp2021).appendingPathComponent("acasxu")
        let network = try ONNXLoader.load(contentsOf: root.appendingPathComponent("ACASXU_run2a_1_9_batch_2000.onnx"))
        let spec = try PropertyParser.parse(contentsOf: root.appendingPathComponent("prop_1.vnnlib"))
        let (verdict, lines) = try await CertificateTests.prove(network, spec)
        #expect(verdict == .holds)
        let report = try CertificateTests.certify(network, spec, lines)
        #expect(report.isValid, "\(report.failure ?? "")")
        #expect(report.boundRefutations >= 1)
        var holed = lines
        let leaf = try #require(lines.lastIndex { $0.contains("\"t\":\"refute\"") })
        holed.remove(at: leaf)
        #expect(try CertificateTests.certify(network, spec, holed).isValid == false)
    }
}
