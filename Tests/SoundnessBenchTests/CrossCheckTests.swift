import Foundation
import Testing
import TestSupport
@testable import SoundnessBench

@Suite struct CrossCheckTests {
    /// Three crafted result sets on the shared benchmark: A is right, B claims unsat where A has
    /// a valid counterexample and states an invalid one elsewhere, C has no counterexample
    /// folder and writes words from other tools.
    @Test func craftedResultsAreCompared() throws {
        let (directory, summary) = try BenchFixture.bench()
        let planted = try #require(summary.instances.first { $0.label == .unverifiable })
        let clean = try #require(summary.instances.first { $0.label == .clean })
        let other = try #require(summary.instances.first { $0.label == .unverifiable && $0.vnnlib != planted.vnnlib })
        let results = BenchFixture.temporaryDirectory("crosscheck")
        defer { try? FileManager.default.removeItem(at: results) }
        func key(_ r: GeneratedInstance) -> InstanceKey { InstanceKey(onnx: r.onnx, vnnlib: r.vnnlib) }
        func write(_ name: String, _ rows: [String], files: [String: String]? = nil) throws -> URL {
            let url = results.appendingPathComponent("\(name).csv")
            try (rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            if let files {
                let folder = results.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for (file, text) in files { try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8) }
            }
            return url
        }
        let stem = ((planted.vnnlib as NSString).lastPathComponent as NSString).deletingPathExtension
        let cex = try String(contentsOf: directory.appendingPathComponent("hidden/\(stem).cex"), encoding: .utf8)
        let n = (clean.counterexample ?? planted.counterexample ?? []).count
        let outside = "sat\n(" + (0..<max(n, 1)).map { "(X_\($0) 9.0)" }.joined(separator: "\n ") + ")\n"
        // Paths written three ways: as in instances.csv, with ./, and with a VNN-COMP-style prefix.
        let a = try write("A", [
            "bench,./\(planted.onnx),./\(planted.vnnlib),0,sat,1.5",
            "bench,\(clean.onnx),\(clean.vnnlib),0,unsat,2.0",
            "other,./benchmarks/elsewhere/missing.onnx,./benchmarks/elsewhere/missing.vnnlib,0,unsat,1",
        ], files: [key(planted).stem + ".counterexample": "sat\n" + cex])
        let b = try write("B", [
            "bench,./benchmarks/soundness/\(planted.onnx),./benchmarks/soundness/\(planted.vnnlib),0,holds,0.5",
            "bench,\(clean.onnx),\(clean.vnnlib),0,violated,0.7",
            "bench,\(other.onnx),\(other.vnnlib),0,UNSAT,0.1",
        ], files: [key(clean).stem + ".counterexample": outside])
        let c = try write("C", [
            "category,onnx,vnnlib,prepare_time,result,run_time",
            "bench,\(planted.onnx),\(planted.vnnlib),.1,SAT,.2",
            "bench,\(clean.onnx),\(clean.vnnlib),,unsafe,3",
        ])
        let outcome = try CrossCheck.run(benchmark: directory, results: [a, b, c])
        let report = outcome.report
        #expect(outcome.skippedRows == ["A": 1])
        #expect(outcome.withoutCounterexamples == ["C"])
        #expect(report.verifiers.map(\.name) == ["A", "B", "C"])

        // B's two unsat answers on planted instances are unsound; A's is fine on the clean one.
        #expect(Set(report.unsoundClaims.map { "\($0.verifier) \($0.vnnlib)" }) == ["B \(planted.vnnlib)", "B \(other.vnnlib)"])
        #expect(report.invalidCounterexamples.map { "\($0.verifier) \($0.vnnlib)" } == ["B \(clean.vnnlib)"])
        #expect(report.invalidCounterexamples.first?.detail.hasPrefix("the input lies outside the property's input region (by up to ") == true)
        let records = Dictionary(uniqueKeysWithValues: report.records.map { ("\($0.verifier) \($0.vnnlib)", $0) })
        #expect(records["A \(planted.vnnlib)"]?.witness?.status == .valid)
        #expect(records["C \(planted.vnnlib)"]?.witness?.status == .unavailable)
        #expect(records["C \(clean.vnnlib)"]?.verdict == .error)
        #expect(records["C \(clean.vnnlib)"]?.note == "unrecognised result word 'unsafe'")

        let disagreements = Dictionary(uniqueKeysWithValues: report.disagreements.map { ($0.vnnlib, $0) })
        #expect(disagreements.count == 2)
        #expect(disagreements[planted.vnnlib]?.refuted == .unsat)
        #expect(disagreements[planted.vnnlib]?.answers["B"] == "unsat")
        #expect(disagreements[planted.vnnlib]?.answers["A"] == "sat (valid)")
        #expect(disagreements[clean.vnnlib]?.refuted == .sat)
        #expect(report.hasFindings)
    }

    @Test func badInputIsReported() throws {
        let (directory, _) = try BenchFixture.bench()
        let scratch = BenchFixture.temporaryDirectory("crosscheck-bad")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let csv = scratch.appendingPathComponent("X.csv")
        try "a,b,c,d\n".write(to: csv, atomically: true, encoding: .utf8)
        #expect(throws: SoundnessBenchError.malformedCSV(
            path: csv.path, line: 1, reason: "expected category,onnx,vnnlib,prepare_time,result,run_time but found 4 fields")) {
            try CrossCheck.run(benchmark: directory, results: [csv])
        }
        #expect(throws: SoundnessBenchError.self) { try CrossCheck.run(benchmark: scratch.appendingPathComponent("none"), results: [csv]) }
        #expect(throws: SoundnessBenchError.self) { try CrossCheck.run(benchmark: directory, results: [csv, csv]) }
        #expect(throws: SoundnessBenchError.self) {
            try CrossCheck.run(benchmark: directory, results: [scratch.appendingPathComponent("absent.csv")])
        }
    }

    /// The published VNN-COMP 2021 results on the `test` category: every row resolves by file
    /// name, and the tools agree.
    @Test(.requiresBenchmarks) func vnncomp2021TestCategory() throws {
        let root = try #require(Fixtures.vnncomp2021)
        let csvs = ["nnenum", "Marabou", "ERAN", "a-b-CROWN"].map { root.appendingPathComponent("results/\($0).csv") }
        let outcome = try CrossCheck.run(benchmark: root.appendingPathComponent("test"), results: csvs)
        #expect(outcome.report.instanceCount >= 3)
        #expect(outcome.report.disagreements.isEmpty)
        #expect(!outcome.report.hasFindings)
        #expect(outcome.skippedRows.values.allSatisfy { $0 > 100 })  // the other categories' rows
    }
}
