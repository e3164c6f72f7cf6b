import Foundation
import Testing
import TestSupport

/// `certus verify --proof` and `certus certify` as a user runs them: the certificate appears only
/// for `unsat`, and `certify`'s answer and exit status say valid (0), invalid (1) or bad input (2).
@Suite struct CertificateCommandTests {
    static let network = HostilePropertyTests.network

    @Test func unsatWritesACertificateThatCertifies() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let proof = scratch.path("p.proof.jsonl")
        let run = try HostilePropertyTests.verify("(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (>= X_1 0))\n(assert (<= X_1 1))\n"
                                                  + "(assert (>= (+ Y_0 Y_1) 2.1))\n", ["--proof", proof], scratch: scratch)
        #expect(run.status == 0 && run.standardOutput == "unsat\n", "\(run.standardError)")
        #expect(scratch.names == ["p.proof.jsonl", "p.vnnlib"], "no temporary file left behind")
        let valid = try CertusExecutable.run(["certify", Self.network, scratch.path("p.vnnlib"), proof])
        #expect(valid.status == 0 && valid.standardOutput == "valid\n", "\(valid.standardOutput) \(valid.standardError)")

        // Without its last refutation the cover has a hole: invalid, status 1.
        var lines = try String(contentsOfFile: proof, encoding: .utf8).split(separator: "\n").map(String.init)
        let last = try #require(lines.lastIndex { $0.contains("\"t\":\"refute\"") })
        lines.remove(at: last)
        let holed = try scratch.write("holed.jsonl", lines.joined(separator: "\n") + "\n")
        let invalid = try CertusExecutable.run(["certify", Self.network, scratch.path("p.vnnlib"), holed])
        #expect(invalid.status == 1 && invalid.standardOutput.hasPrefix("invalid: "), "\(invalid.standardOutput)")

        // The same property in another file (one comment more): the certificate names the
        // SHA-256 of the file it was written for, so it is invalid here.
        let property = try String(contentsOfFile: scratch.path("p.vnnlib"), encoding: .utf8)
        let other = try scratch.write("other.vnnlib", "; the same property\n" + property)
        let elsewhere = try CertusExecutable.run(["certify", Self.network, other, proof])
        #expect(elsewhere.status == 1 && elsewhere.standardOutput.hasPrefix("invalid: line 1: the certificate is for another VNN-LIB file"),
                "\(elsewhere.standardOutput)")

        // Not a certificate: bad input, status 2.
        let junk = try scratch.write("junk.jsonl", "hello\n")
        let bad = try CertusExecutable.run(["certify", Self.network, scratch.path("p.vnnlib"), junk])
        #expect(bad.status == 2 && bad.standardError.hasPrefix("error: \(junk): line 1"), "\(bad.standardError)")
    }

    @Test func satLeavesNoCertificate() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let proof = scratch.path("p.proof.jsonl")
        let run = try HostilePropertyTests.verify("(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (>= X_1 0))\n(assert (<= X_1 1))\n"
                                                  + "(assert (>= (+ Y_0 Y_1) 1.5))\n", ["--proof", proof], scratch: scratch)
        #expect(run.status == 0 && run.standardOutput.hasPrefix("sat\n"))
        #expect(scratch.names == ["p.vnnlib"], "no certificate, no temporary file")
    }
}
