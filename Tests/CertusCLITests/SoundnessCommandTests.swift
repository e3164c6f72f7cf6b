import Foundation
import Testing
import TestSupport

/// `certus soundness generate|run` and `certus crosscheck` as CI and users call them: the exit
/// status is the gate (1 for an unsound claim, 2 for bad input), and the files land where the
/// help text says.
@Suite struct SoundnessCommandTests {
    /// A small attack budget so that the debug build generates in a second or two.
    static let cheapAttack = ["--attack-restarts", "10", "--attack-steps", "20", "--attack-samples", "200"]

    @Test func lyingVerifierFailsTheRunAndTheCrossCheck() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-cli-sb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let bench = directory.appendingPathComponent("bench").path
        let generate = try CertusExecutable.run(["soundness", "generate", "--out", bench, "--seed", "5", "--timeout", "10",
                                                 "--models", "mlp:3:8:2:pocket:2+1"] + Self.cheapAttack)
        #expect(generate.status == 0, "\(generate.standardError)")
        let labels = try String(contentsOfFile: bench + "/hidden/labels.csv", encoding: .utf8)
        let planted = labels.split(separator: "\n").filter { $0.hasSuffix(",unverifiable") }.count
        #expect(planted >= 1)

        // A verifier that answers unsat everywhere claims every planted instance: exit status 1.
        let results = directory.appendingPathComponent("results").path
        let run = try CertusExecutable.run(["soundness", "run", "--bench", bench, "--verifier", "liar=echo unsat > {result} # {onnx}",
                                            "--out", results, "--quiet"])
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardOutput.contains("**FAIL**: \(planted) unsound claim(s)"))
        for file in ["liar.csv", "report.md", "report.json", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: results + "/" + file), "\(file) missing")
        }

        // An oracle answering sat with the hidden witnesses has no findings, and cross-checking
        // the two result files marks the liar's unsat answers as refuted.
        let script = directory.appendingPathComponent("oracle.sh").path
        try """
            #!/bin/sh
            cex="\(bench)/hidden/$(basename "$1" .vnnlib).cex"
            if [ -f "$cex" ]; then { echo sat; cat "$cex"; } > "$2"; else echo unknown > "$2"; fi
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let oracle = try CertusExecutable.run(["soundness", "run", "--bench", bench, "--out", results, "--quiet",
                                               "--verifier", "oracle=/bin/sh \(script) {vnnlib} {result}"])
        #expect(oracle.status == 0, "\(oracle.standardOutput) \(oracle.standardError)")
        let cross = try CertusExecutable.run(["crosscheck", "--bench", bench, results + "/liar.csv", results + "/oracle.csv"])
        #expect(cross.status == 1, "\(cross.standardError)")
        #expect(cross.standardOutput.contains("liar"))
    }

    @Test func badInputGivesStatusTwo() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("certus-cli-none-\(UUID().uuidString)").path
        let run = try CertusExecutable.run(["soundness", "run", "--bench", missing, "--verifier", "x=echo unsat > {result}"])
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("error:"))
        let template = try CertusExecutable.run(["soundness", "generate", "--out", missing, "--models", "mlp:3:8:2:nonsense"])
        #expect(template.status == 2)
        #expect(template.standardError.contains("nonsense"))
        let cross = try CertusExecutable.run(["crosscheck", "--bench", missing, missing + "/a.csv"])
        #expect(cross.status == 2)
    }
}
