import Foundation
import Synchronization
import Testing
import TestSupport
@testable import SoundnessBench

@Suite(.serialized) struct RunnerTests {
    /// Runs `verifiers` on the shared benchmark (or `benchmark`) and scores the result.
    func run(_ verifiers: [VerifierSpec], benchmark: Benchmark? = nil, timeout: Double? = 20, grace: Double = 2,
             environment: [String: String] = [:]) async throws -> (SoundnessReport, [RunRecord], URL) {
        let bench = try benchmark ?? Benchmark(directory: BenchFixture.bench().directory)
        let output = BenchFixture.temporaryDirectory("results")
        let runner = try BenchRunner(benchmark: bench, options: RunnerOptions(
            verifiers: verifiers, timeout: timeout, jobs: 2, output: output, killGrace: grace, environment: environment))
        let records = try await runner.run()
        return (runner.report(records), records, output)
    }

    @Test func alwaysUnsatVerifierIsCaught() async throws {
        let (report, records, output) = try await run([try VerifierSpec.parse(template: "liar=echo unsat > {result} # {onnx}")])
        defer { try? FileManager.default.removeItem(at: output) }
        let (_, summary) = try BenchFixture.bench()
        #expect(records.count == summary.instances.count && records.allSatisfy { $0.verdict == .unsat })
        #expect(report.hasFindings)
        #expect(report.unsoundClaims.count == summary.unverifiableCount)
        #expect(report.verifiers[0].unverifiableVerifiedRatio == 1 && report.verifiers[0].cleanVerifiedRatio == 1)
        #expect(report.verifiers[0].hasUnsound)
        // The VNN-COMP CSV is written, one row per instance, with exact words.
        let rows = try ResultsCSV.read(output.appendingPathComponent("liar.csv"))
        #expect(rows.count == summary.instances.count && rows.allSatisfy { $0.word == "unsat" })
        #expect(report.markdown.contains("**FAIL**: \(summary.unverifiableCount) unsound claim(s)"))
    }

    @Test func invalidCounterexamplesAreCaught() async throws {
        let directory = BenchFixture.temporaryDirectory("scripts")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A witness far outside every box, one without any witness, one with the wrong variables.
        let outside = try BenchFixture.script(#"""
            n=$(grep -c "declare-const X_" "$1")
            { echo sat; i=0; printf '('; while [ $i -lt $n ]; do printf '(X_%d 7.5)\n' $i; i=$((i+1)); done; echo ')'; } > "$2"
            """#, in: directory, name: "outside.sh")
        let (report, records, output) = try await run([
            try VerifierSpec.parse(template: "outside=\(outside) {vnnlib} {result}"),
            try VerifierSpec.parse(template: "bare=echo sat > {result} # {onnx}"),
            try VerifierSpec.parse(template: "garbled=printf 'sat\\n((Q_0 1))\\n' > {result} # {onnx}"),
        ])
        defer { try? FileManager.default.removeItem(at: output) }
        let n = try BenchFixture.bench().summary.instances.count
        #expect(report.invalidCounterexamples.count == 3 * n)
        #expect(report.unsoundClaims.isEmpty && report.hasFindings)
        let reasons = Set(records.compactMap { $0.witness?.reason })
        #expect(reasons.contains { $0.hasPrefix("the input lies outside the property's input region (by up to ") })
        #expect(reasons.contains("sat without a witness"))
        #expect(reasons.contains { $0.hasPrefix("expected a variable X_i or Y_j but found 'Q_0'") })
        #expect(report.verifiers.allSatisfy { $0.unverifiableFalsifiedRatio == 0 && $0.invalidCounterexamples == n })
    }

    /// A verifier that knows the answers (it reads `hidden/`) is sound and complete here.
    @Test func oracleHasNoFindings() async throws {
        let (directory, summary) = try BenchFixture.bench()
        let scripts = BenchFixture.temporaryDirectory("oracle")
        defer { try? FileManager.default.removeItem(at: scripts) }
        let oracle = try BenchFixture.script("""
            cex="\(directory.path)/hidden/$(basename "$1" .vnnlib).cex"
            if [ -f "$cex" ]; then { echo sat; cat "$cex"; } > "$2"; else echo unsat > "$2"; fi
            """, in: scripts, name: "oracle.sh")
        let (report, records, output) = try await run([try VerifierSpec.parse(template: "oracle=\(oracle) {vnnlib} {result}")])
        defer { try? FileManager.default.removeItem(at: output) }
        #expect(!report.hasFindings)
        #expect(report.verifiers[0].unverifiableFalsifiedRatio == 1 && report.verifiers[0].cleanVerifiedRatio == 1)
        #expect(records.filter { $0.verdict == .sat }.allSatisfy { $0.witness?.status == .valid })
        #expect(report.verifiers[0].decidedTimes.count == summary.instances.count)
        #expect(report.plantedValid == summary.unverifiableCount && report.plantedTotal == summary.unverifiableCount)
        #expect(report.markdown.contains("**PASS**"))
        // The three renderings: JSON reads back, HTML is one self-contained page with the plot.
        let decoded = try JSONDecoder().decode(SoundnessReport.self, from: try report.json())
        #expect(decoded == report)
        let html = report.html
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && html.contains("</html>"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=") && !html.contains("@import"))
    }

    /// The runner kills a verifier that overruns, with the processes it started.
    @Test func overrunningVerifierIsKilledWithItsChildren() async throws {
        let (directory, _) = try BenchFixture.bench()
        // A one-instance benchmark beside the shared one (paths are relative to its folder).
        let sibling = BenchFixture.temporaryDirectory("sleeper")
        defer { try? FileManager.default.removeItem(at: sibling) }
        let one = try Benchmark(directory: directory).instances[0]
        try "../\(directory.lastPathComponent)/\(one.onnx),../\(directory.lastPathComponent)/\(one.vnnlib),60\n"
            .write(to: sibling.appendingPathComponent("instances.csv"), atomically: true, encoding: .utf8)
        let sleeper = try BenchFixture.script("""
            sleep 30 & echo $! > "\(sibling.path)/child.pid"
            echo $$ > "\(sibling.path)/parent.pid"
            sleep 30
            echo unsat > "$1"
            """, in: sibling, name: "sleeper.sh")
        let (report, records, output) = try await run([try VerifierSpec.parse(template: "sleeper=\(sleeper) {result} # {onnx}")],
                                                      benchmark: try Benchmark(directory: sibling), timeout: 1, grace: 0.5)
        defer { try? FileManager.default.removeItem(at: output) }
        #expect(records.count == 1 && records[0].verdict == .timeout && records[0].killed)
        #expect(records[0].seconds >= 1 && records[0].seconds < 5)
        #expect(report.verifiers[0].timeouts == 1 && !report.hasFindings)
        for file in ["child.pid", "parent.pid"] {
            let text = try String(contentsOf: sibling.appendingPathComponent(file), encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(!isRunning(pid), "\(file) \(pid) still runs")
        }
    }

    /// The vnncomp/ scripts follow the VNN-COMP interface; a stand-in for `certus verify`
    /// (CERTUS_BIN) records the arguments it gets and answers unsat, which the runner catches.
    @Test func vnncompScriptsDriveCertusVerify() async throws {
        let scratch = BenchFixture.temporaryDirectory("fake-certus")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fake = try BenchFixture.script("""
            echo "$@" >> "\(scratch.path)/calls.log"
            [ "$1" = verify ] && [ "$4" = --timeout ] && [ "$6" = --result ] || exit 2
            echo unsat > "$7"
            """, in: scratch, name: "certus")
        let scripts = Fixtures.repositoryRoot.appendingPathComponent("vnncomp")
        let spec = try VerifierSpec.parse(scripts: "fake=\(scripts.path)")
        let (report, records, output) = try await run([spec], timeout: 7, environment: ["CERTUS_BIN": fake])
        defer { try? FileManager.default.removeItem(at: output) }
        let (directory, summary) = try BenchFixture.bench()
        #expect(records.allSatisfy { $0.verdict == .unsat && $0.prepareSeconds > 0 })
        #expect(report.unsoundClaims.count == summary.unverifiableCount)
        let calls = try String(contentsOf: scratch.appendingPathComponent("calls.log"), encoding: .utf8)
            .split(separator: "\n")
        #expect(calls.count == summary.instances.count)
        #expect(calls.allSatisfy { $0.hasPrefix("verify \(directory.standardizedFileURL.path)/onnx/") && $0.contains(" --timeout 7 --result ") })

        // A binary that rejects its input leaves `error`, not a verdict.
        let broken = try BenchFixture.script("exit 2", in: scratch, name: "broken")
        let (_, failing, output2) = try await run([spec], timeout: 7, environment: ["CERTUS_BIN": broken])
        defer { try? FileManager.default.removeItem(at: output2) }
        #expect(failing.allSatisfy { $0.verdict == .error && $0.word == "error" })
    }

    @Test func unrecognisedWordsAreErrorsAndProgressIsReported() async throws {
        let (directory, summary) = try BenchFixture.bench()
        let output = BenchFixture.temporaryDirectory("words")
        defer { try? FileManager.default.removeItem(at: output) }
        let runner = try BenchRunner(benchmark: try Benchmark(directory: directory), options: RunnerOptions(
            verifiers: [try VerifierSpec.parse(template: "unsafe=echo unsafe # {onnx}"),
                        try VerifierSpec.parse(template: "stdout=echo unknown # {vnnlib}")],
            timeout: 10, output: output))
        let seen = ProgressLog()
        let records = try await runner.run { seen.append($0) }
        #expect(records.filter { $0.verifier == "unsafe" }.allSatisfy {
            $0.verdict == .error && $0.note == "unrecognised result word 'unsafe'"
        })
        #expect(records.filter { $0.verifier == "stdout" }.allSatisfy { $0.verdict == .unknown })
        let progress = seen.values
        #expect(progress.count == 2 * summary.instances.count + 1)
        #expect(progress.last?.done == 2 * summary.instances.count && progress.last?.counts[.error] == summary.instances.count)
        #expect(progress.last?.line.hasPrefix("[\(2 * summary.instances.count)/\(2 * summary.instances.count)] sat 0 unsat 0 unknown ") == true)
    }

    @Test func badInputIsReported() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/bench")
        #expect(throws: SoundnessBenchError.missingPath(path: missing.path, role: "benchmark folder")) {
            try Benchmark(directory: missing)
        }
        let directory = BenchFixture.temporaryDirectory("malformed")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (text, reason) in [("a.onnx,b.vnnlib\n", "expected onnx,vnnlib,timeout but found 2 fields"),
                               ("a.onnx,b.vnnlib,fast\n", "timeout 'fast' is not a positive number"),
                               ("", "no instances listed")] {
            try text.write(to: directory.appendingPathComponent("instances.csv"), atomically: true, encoding: .utf8)
            #expect(throws: SoundnessBenchError.malformedCSV(path: directory.appendingPathComponent("instances.csv").path,
                                                             line: 1, reason: reason)) {
                try Benchmark(directory: directory)
            }
        }
        #expect(throws: SoundnessBenchError.self) {
            try RunnerOptions(verifiers: [], output: directory).validate()
        }
    }
}

/// Whether process `pid` is alive: a zombie (killed, not yet reaped by its new parent; in a
/// container PID 1 may never reap) does not count.
func isRunning(_ pid: Int32) -> Bool {
    if FileManager.default.fileExists(atPath: "/proc/self/stat") {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state != "Z" && state != "X"
    }
    return kill(pid, 0) == 0
}

/// Collects progress reports from the runner's callback.
final class ProgressLog: Sendable {
    private let items = Mutex<[RunProgress]>([])
    func append(_ p: RunProgress) { items.withLock { $0.append(p) } }
    var values: [RunProgress] { items.withLock { $0 } }
}
