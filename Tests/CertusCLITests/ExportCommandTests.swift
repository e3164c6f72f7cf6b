import Foundation
import Testing
import TestSupport

/// `certus export --smtlib`: the file is a standalone query that the z3 binary, run as a separate
/// process, decides the way Certus does.
@Suite struct ExportCommandTests {
    static let region = "(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (>= X_1 0))\n(assert (<= X_1 1))\n"

    /// Runs the z3 binary on a file; its first output line.
    static func z3(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["z3", "-T:60", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).split(separator: "\n").first ?? "")
    }

    static func export(_ network: String, _ property: String, _ extra: [String] = [], to path: String) throws -> CertusExecutable.Run {
        try CertusExecutable.run(["export", "--smtlib", network, property, "--output", path] + extra)
    }

    @Test func exportedQueriesGiveCertusAnswers() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let network = HostilePropertyTests.network
        let unsat = try scratch.write("unsat.vnnlib", HostilePropertyTests.declarations + Self.region + "(assert (>= (+ Y_0 Y_1) 2.1))\n")
        let sat = try scratch.write("sat.vnnlib", HostilePropertyTests.declarations + Self.region + "(assert (>= (+ Y_0 Y_1) 1.9))\n")
        for (property, expected) in [(unsat, "unsat"), (sat, "sat")] {
            let path = scratch.path("q.smt2")
            let run = try Self.export(network, property, to: path)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(try Self.z3(path) == expected, "\(property)")
            let verify = try CertusExecutable.run(["verify", network, property])
            #expect(verify.standardOutput.hasPrefix(expected + "\n"))
        }
        // A sub-box where y0 + y1 = 2·max(x0, x1) stays below 1.9: unsat there.
        let path = scratch.path("box.smt2")
        #expect(try Self.export(network, sat, ["--box", "0:0:0.5", "--box", "1:0:0.5"], to: path).status == 0)
        #expect(try Self.z3(path) == "unsat")
        let bad = try Self.export(network, sat, ["--case", "3"], to: path)
        #expect(bad.status == 2 && bad.standardError.hasPrefix("error: "), "\(bad.standardError)")
    }

    /// The VNN-COMP 2021 sanity instances: z3 on the exported file agrees with `certus verify`.
    @Test(.requiresBenchmarks, arguments: ["test_nano", "test_tiny"])
    func exportedBenchmarkQueriesAgree(_ name: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let root = try #require(Fixtures.vnncomp2021).appendingPathComponent("test")
        let network = root.appendingPathComponent("\(name).onnx").path, property = root.appendingPathComponent("\(name).vnnlib").path
        let path = scratch.path("q.smt2")
        #expect(try Self.export(network, property, to: path).status == 0)
        let verify = try CertusExecutable.run(["verify", network, property])
        let answer = try Self.z3(path)
        #expect(verify.standardOutput.hasPrefix(answer + "\n"), "z3 \(answer), certus \(verify.standardOutput)")
    }
}
