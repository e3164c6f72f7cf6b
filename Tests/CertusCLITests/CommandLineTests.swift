import Foundation
import Testing
import TestSupport

/// The command line as a user meets it: verdicts, the counterexample round trip through
/// `verify --result` and `check`, and `error:` lines with exit status 2 for bad input.
@Suite struct CommandLineTests {
    static let model = Fixtures.repositoryRoot.appendingPathComponent("benchmarks/examples/mlp_5x20x20x5.onnx").path
    static func property(_ name: String) -> String {
        Fixtures.repositoryRoot.appendingPathComponent("vnnlib/\(name).vnnlib").path
    }

    @Test func examplesGiveTheirVerdicts() throws {
        let unsat = try CertusExecutable.run(["verify", Self.model, Self.property("robust_small")])
        #expect(unsat.status == 0)
        #expect(unsat.standardOutput == "unsat\n")
        let sat = try CertusExecutable.run(["verify", Self.model, Self.property("robust_large")])
        #expect(sat.status == 0)
        #expect(sat.standardOutput.hasPrefix("sat\n((X_0 "))
        #expect(sat.standardOutput.contains("(Y_4 "))
    }

    @Test func versionNamesTheTool() throws {
        let run = try CertusExecutable.run(["--version"])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("certus "), "\(run.standardOutput)")
    }

    @Test func counterexampleRoundTripAndTampering() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = directory.appendingPathComponent("result.txt").path
        let run = try CertusExecutable.run(["verify", Self.model, Self.property("robust_large"), "--result", result])
        #expect(run.status == 0)
        let text = try String(contentsOfFile: result, encoding: .utf8)
        #expect(text == run.standardOutput)
        let check = try CertusExecutable.run(["check", Self.model, Self.property("robust_large"), result])
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")
        #expect(check.standardOutput.hasPrefix("valid"))

        // Move the witness to the centre of the box, where the network is robust.
        let centre = [0.1, -0.2, 0.3, 0.0, 0.25]
        var lines = ["sat"]
        for (i, v) in centre.enumerated() { lines.append((i == 0 ? "(" : " ") + "(X_\(i) \(v))" + (i == 4 ? ")" : "")) }
        let tampered = directory.appendingPathComponent("tampered.txt").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: tampered, atomically: true, encoding: .utf8)
        let refuted = try CertusExecutable.run(["check", Self.model, Self.property("robust_large"), tampered])
        #expect(refuted.status == 1)
        #expect(refuted.standardOutput.hasPrefix("invalid"))

        // A witness outside the input box is refuted too.
        let outside = directory.appendingPathComponent("outside.txt").path
        try "sat\n((X_0 5)\n (X_1 0)\n (X_2 0)\n (X_3 0)\n (X_4 0))\n".write(toFile: outside, atomically: true, encoding: .utf8)
        #expect(try CertusExecutable.run(["check", Self.model, Self.property("robust_large"), outside]).status == 1)
    }

    @Test func badInputGivesOneErrorLineAndStatusTwo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let badProperty = directory.appendingPathComponent("bad.vnnlib").path
        try "(declare-const X_0 Real)\n(assert (<= X_0 1.0)\n".write(toFile: badProperty, atomically: true, encoding: .utf8)
        let badModel = directory.appendingPathComponent("bad.onnx").path
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: badModel))
        let cases: [([String], String)] = [
            (["verify", Self.model, badProperty], "bad.vnnlib:3:1: expected ')'"),
            (["verify", badModel, Self.property("robust_small")], "bad.onnx"),
            (["verify", Self.model, directory.appendingPathComponent("missing.vnnlib").path], "missing.vnnlib"),
            // Five inputs declared by the property, one by the test network: sizes do not match.
            (["verify", Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/onnx/matmul_add.onnx").path,
              Self.property("robust_small")], "inputs"),
        ]
        for (arguments, mention) in cases {
            let run = try CertusExecutable.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.standardError)")
            #expect(run.standardOutput.isEmpty)
            let lines = run.standardError.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(mention), "\(run.standardError)")
        }
    }
}
