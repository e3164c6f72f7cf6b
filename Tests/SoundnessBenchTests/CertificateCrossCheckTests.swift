import Foundation
import Testing
import TestSupport
@testable import SoundnessBench

/// An `unsat` that comes with a proof certificate is checked by the exact checker: a valid
/// certificate adds nothing to the report, a tampered one makes the claim unsound.
@Suite struct CertificateCrossCheckTests {
    /// A one-instance benchmark: y0 = relu(x0 + x1), y1 = relu(x0 − x1) over [0, 1]², where
    /// y0 + y1 ≤ 2, so y0 + y1 ≥ 2.1 is unsat.
    static func bench() throws -> URL {
        let bench = BenchFixture.temporaryDirectory("certificate-bench")
        try FileManager.default.createDirectory(at: bench, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.url("cli/relu_sum_diff.onnx"), to: bench.appendingPathComponent("net.onnx"))
        let property = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n"
            + "(assert (>= X_0 0.0))\n(assert (<= X_0 1.0))\n(assert (>= X_1 0.0))\n(assert (<= X_1 1.0))\n"
            + "(assert (>= (+ Y_0 Y_1) 2.1))\n"
        try property.write(to: bench.appendingPathComponent("prop.vnnlib"), atomically: true, encoding: .utf8)
        try "net.onnx,prop.vnnlib,30\n".write(to: bench.appendingPathComponent("instances.csv"), atomically: true, encoding: .utf8)
        return bench
    }

    /// `soundness run` with `{proof}`: Certus's own certificate checks; a verifier that deletes
    /// the refutations from its certificate before answering is reported as unsound.
    @Test func theRunnerChecksCertificatesOfTemplatesWithProof() async throws {
        let certus = try #require(CertusExecutable.url).path
        let bench = try Self.bench()
        defer { try? FileManager.default.removeItem(at: bench) }
        let honest = try VerifierSpec.parse(template: "honest=\(VerifierSpec.shellQuote(certus)) verify {onnx} {vnnlib} --proof {proof}")
        let tampering = try VerifierSpec.parse(template: "tampering=\(VerifierSpec.shellQuote(certus)) verify {onnx} {vnnlib} --proof {proof}"
                                                + " && grep -v '\"t\":\"refute\"' {proof} > {proof}.cut; mv {proof}.cut {proof}")
        #expect(honest.writesCertificates && tampering.writesCertificates)
        let runner = try BenchRunner(benchmark: try Benchmark(directory: bench), options: RunnerOptions(
            verifiers: [honest, tampering], output: bench.appendingPathComponent("results")))
        let records = try await runner.run()
        let byName = Dictionary(uniqueKeysWithValues: records.map { ($0.verifier, $0) })
        #expect(byName["honest"]?.verdict == .unsat && byName["tampering"]?.verdict == .unsat)
        #expect(byName["honest"]?.certificate?.status == .valid, "\(byName["honest"]?.certificate?.detail ?? "")")
        #expect(byName["tampering"]?.certificate?.status == .invalid)
        let report = runner.report(records)
        #expect(report.unsoundClaims.map(\.verifier) == ["tampering"])
        #expect(report.unsoundClaims.first?.detail.contains("proof certificate is invalid") == true)
    }

    @Test func aTamperedCertificateIsReportedAsAnUnsoundClaim() throws {
        let bench = try Self.bench()
        defer { try? FileManager.default.removeItem(at: bench) }
        let results = bench.appendingPathComponent("results")
        for name in ["A", "B"] {
            try FileManager.default.createDirectory(at: results.appendingPathComponent(name), withIntermediateDirectories: true)
            try "bench,net.onnx,prop.vnnlib,0,unsat,0.1\n".write(to: results.appendingPathComponent("\(name).csv"),
                                                                  atomically: true, encoding: .utf8)
        }
        let proofName = CertificateCheck.fileName(stem: InstanceKey(onnx: "net.onnx", vnnlib: "prop.vnnlib").stem)
        let proof = results.appendingPathComponent("A/\(proofName)")
        let run = try CertusExecutable.run(["verify", bench.appendingPathComponent("net.onnx").path,
                                            bench.appendingPathComponent("prop.vnnlib").path, "--proof", proof.path])
        #expect(run.standardOutput == "unsat\n", "\(run.standardError)")
        // B's certificate lost its last refutation: a hole in the cover.
        var lines = try String(contentsOf: proof, encoding: .utf8).split(separator: "\n").map(String.init)
        let last = try #require(lines.lastIndex { $0.contains("\"t\":\"refute\"") })
        lines.remove(at: last)
        try (lines.joined(separator: "\n") + "\n").write(to: results.appendingPathComponent("B/\(proofName)"),
                                                         atomically: true, encoding: .utf8)

        let outcome = try CrossCheck.run(benchmark: bench, results: [results.appendingPathComponent("A.csv"),
                                                                      results.appendingPathComponent("B.csv")])
        let records = Dictionary(uniqueKeysWithValues: outcome.report.records.map { ($0.verifier, $0) })
        #expect(records["A"]?.certificate?.status == .valid, "\(records["A"]?.certificate?.detail ?? "")")
        #expect(records["B"]?.certificate?.status == .invalid)
        #expect(outcome.report.unsoundClaims.map(\.verifier) == ["B"])
        #expect(outcome.report.unsoundClaims.first?.detail.contains("proof certificate is invalid") == true)
        #expect(outcome.report.hasFindings)
    }
}
