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

/// What a user sees when the command line is misused or a file is wrong: plain words, the path
/// as typed, the documented exit statuses, and option values listed in the help.
@Suite struct UserFacingMessageTests {
    @Test func fileErrorsUsePlainWordsAndThePathAsTyped() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let notAModel = try scratch.write("notes.onnx", "not a model")
        let runs = [
            try CertusExecutable.run(["verify", scratch.path("missing.onnx"), CommandLineTests.property("robust_small")]),
            try CertusExecutable.run(["verify", notAModel, CommandLineTests.property("robust_small")]),
            try CertusExecutable.run(["verify", scratch.url.path, CommandLineTests.property("robust_small")]),
            try CertusExecutable.run(["check", CommandLineTests.model, CommandLineTests.property("robust_small"), scratch.path("none.txt")]),
        ]
        let expected = [
            "error: \(scratch.path("missing.onnx")): cannot read the file: no such file",
            "error: \(notAModel): not a valid ONNX protobuf: ",
            "error: \(scratch.url.path): cannot read the file: it is a directory",
            "error: \(scratch.path("none.txt")): cannot read the result file: no such file",
        ]
        for (run, prefix) in zip(runs, expected) {
            #expect(run.status == 2)
            #expect(run.standardError.hasPrefix(prefix), "\(run.standardError)")
            for jargon in ["NSCocoaErrorDomain", "malformedProtobuf", "The operation could not be completed"] {
                #expect(!run.standardError.contains(jargon), "\(run.standardError)")
            }
        }
    }

    @Test func anInputWithoutBoundsIsAnErrorNamingIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let property = try scratch.write("p.vnnlib", HostilePropertyTests.declarations
            + "(assert (<= 0 X_0 1))\n(assert (<= X_1 1))\n(assert (<= Y_0 0))\n")
        let run = try CertusExecutable.run(["verify", HostilePropertyTests.network, property])
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("error: \(property): input X_1 has no lower bound"), "\(run.standardError)")
    }

    @Test func usageErrorsExitWith64AndHelpListsEngines() throws {
        let bad = try CertusExecutable.run(["verify", CommandLineTests.model, CommandLineTests.property("robust_small"), "--engine", "fast"])
        #expect(bad.status == 64, "\(bad.standardError)")
        let help = try CertusExecutable.run(["verify", "--help"])
        #expect(help.standardOutput.contains("values: bab, exact"), "\(help.standardOutput)")
        let root = try CertusExecutable.run(["--help"])
        #expect(root.standardOutput.contains("64 for"), "the root help documents the usage-error status")
    }

    /// `--progress` reports on standard error while branch and bound runs, and nothing reaches
    /// standard output but the verdict.
    @Test(.requiresBenchmarks) func progressLinesDuringALongRun() throws {
        let acas = try #require(Fixtures.vnncomp2021).appendingPathComponent("acasxu")
        let run = try CertusExecutable.run(["verify", acas.appendingPathComponent("ACASXU_run2a_3_3_batch_2000.onnx").path,
                                            acas.appendingPathComponent("prop_2.vnnlib").path, "--timeout", "4", "--progress"])
        #expect(run.standardOutput == "timeout\n")
        let lines = run.standardError.split(separator: "\n").filter { $0.hasPrefix("progress: ") }
        #expect(lines.count >= 2, "\(run.standardError)")
        #expect(lines.contains { $0.contains("nodes done") && $0.contains("open") && $0.contains(" s") }, "\(run.standardError)")
        let quiet = try CertusExecutable.run(["verify", CommandLineTests.model, CommandLineTests.property("robust_small")])
        #expect(!quiet.standardError.contains("progress:"))
    }
}
