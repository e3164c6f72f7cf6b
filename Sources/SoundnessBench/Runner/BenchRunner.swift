import Foundation
import ResultCodec

/// Runs verifiers on every instance of a benchmark with a hard time limit, reads their results
/// by exact words, validates every counterexample in float64 and float32, and writes each
/// verifier's results in VNN-COMP form:
///
/// ```
/// OUT/<verifier>.csv                             category,onnx,vnnlib,prepare_time,result,run_time
/// OUT/<verifier>/<onnx stem>_<vnnlib stem>.counterexample   the result file as the verifier wrote it
/// OUT/<verifier>/logs/<stem>.{out,err}           standard output and error
/// OUT/<verifier>/<stem>.proof.jsonl              the proof certificate, for a template with {proof}
/// ```
/// Every `unsat` of a verifier whose template has `{proof}` has its certificate checked.
/// `CrossCheck` reads the same layout back, so a run can be re-scored later.
public struct BenchRunner: Sendable {
    public let benchmark: Benchmark
    public let options: RunnerOptions

    /// Prepares a run.
    /// - Throws: `SoundnessBenchError` for bad options.
    public init(benchmark: Benchmark, options: RunnerOptions) throws {
        try options.validate()
        self.benchmark = benchmark
        self.options = options
    }

    /// One planned run.
    struct Job: Sendable {
        var instance: BenchmarkInstance
        var verifier: VerifierSpec
    }

    /// Runs everything.
    /// - Parameter progress: called after every finished run.
    /// - Returns: the records, in instance-then-verifier order.
    /// - Throws: `SoundnessBenchError.cannotWrite` when the output folder cannot be written.
    public func run(progress: @escaping @Sendable (RunProgress) -> Void = { _ in }) async throws -> [RunRecord] {
        for verifier in options.verifiers {
            try FileIO.makeDirectory(options.output.appendingPathComponent("\(verifier.name)/logs"))
        }
        let jobs = benchmark.instances.flatMap { instance in options.verifiers.map { Job(instance: instance, verifier: $0) } }
        var records = [RunRecord?](repeating: nil, count: jobs.count)
        var validator = CounterexampleValidator()
        var state = RunProgress(done: 0, total: jobs.count, counts: [:], elapsed: 0)
        let clock = ContinuousClock()
        let start = clock.now
        progress(state)
        await withTaskGroup(of: (Int, RunRecord, Witness?, String?).self) { group in
            var next = 0
            func launch() {
                guard next < jobs.count else { return }
                let index = next, job = jobs[next]
                next += 1
                group.addTask {
                    let (record, witness, problem) = await self.execute(job)
                    return (index, record, witness, problem)
                }
            }
            for _ in 0..<min(options.jobs, jobs.count) { launch() }
            while let (index, partial, witness, problem) = await group.next() {
                var record = partial
                if record.verdict == .sat {
                    let instance = jobs[index].instance
                    record.witness = validator.validate(witness, problem: problem, onnx: benchmark.onnxURL(instance),
                                                        vnnlib: benchmark.vnnlibURL(instance))
                }
                records[index] = record
                state.done += 1
                state.counts[record.verdict, default: 0] += 1
                state.elapsed = Seconds.of(clock.now - start)
                try? writeCSVs(records)
                progress(state)
                launch()
            }
        }
        let finished = records.compactMap { $0 }
        try writeCSVs(finished)
        return finished
    }

    /// Writes `OUT/<verifier>.csv` for the records so far.
    func writeCSVs(_ records: [RunRecord?]) throws {
        for verifier in options.verifiers {
            let rows = records.compactMap { $0 }.filter { $0.verifier == verifier.name }.map {
                ResultsCSV.Row(category: benchmark.category, onnx: $0.onnx, vnnlib: $0.vnnlib, prepareSeconds: $0.prepareSeconds,
                               word: $0.verdict.rawValue, seconds: $0.seconds)
            }
            try FileIO.write(ResultsCSV.text(rows), to: options.output.appendingPathComponent("\(verifier.name).csv"))
        }
    }

    /// Runs one verifier on one instance and reads its result (validation happens in `run`).
    func execute(_ job: Job) async -> (RunRecord, Witness?, String?) {
        let instance = job.instance, verifier = job.verifier
        let timeout = options.timeout ?? instance.timeout
        let folder = options.output.appendingPathComponent(verifier.name)
        let resultURL = folder.appendingPathComponent("\(instance.stem).counterexample")
        let outURL = folder.appendingPathComponent("logs/\(instance.stem).out")
        let errURL = folder.appendingPathComponent("logs/\(instance.stem).err")
        let proofURL = folder.appendingPathComponent(CertificateCheck.fileName(stem: instance.stem))
        try? FileManager.default.removeItem(at: resultURL)
        try? FileManager.default.removeItem(at: proofURL)
        let onnx = benchmark.onnxURL(instance).standardizedFileURL.path
        let vnnlib = benchmark.vnnlibURL(instance).standardizedFileURL.path
        let shell = URL(fileURLWithPath: "/bin/sh")
        var record = RunRecord(verifier: verifier.name, onnx: instance.onnx, vnnlib: instance.vnnlib, verdict: .error,
                               word: "", seconds: 0)
        let outcome: ProcessOutcome
        switch verifier.invocation {
        case let .template(template):
            let command = VerifierSpec.command(template, onnx: onnx, vnnlib: vnnlib, result: resultURL.path, timeout: timeout,
                                               proof: proofURL.path)
            outcome = await ProcessRunner.run(shell, arguments: ["-c", command], environment: options.environment,
                                              standardOutput: outURL, standardError: errURL,
                                              timeLimit: timeout + options.killGrace)
            if !verifier.writesResultFile, !outcome.wasKilled, let text = try? String(contentsOf: outURL, encoding: .utf8) {
                try? FileIO.write(text, to: resultURL)
            }
        case let .vnncompScripts(directory):
            let scripts = URL(fileURLWithPath: directory)
            let prepare = await ProcessRunner.run(
                shell, arguments: [scripts.appendingPathComponent("prepare_instance.sh").path, "v1", benchmark.category, onnx, vnnlib],
                currentDirectory: scripts, environment: options.environment,
                standardOutput: folder.appendingPathComponent("logs/\(instance.stem).prepare.out"),
                standardError: folder.appendingPathComponent("logs/\(instance.stem).prepare.err"), timeLimit: options.prepareLimit)
            record.prepareSeconds = prepare.seconds
            guard prepare.succeeded else {
                record.note = prepare.launchError ?? (prepare.wasKilled ? "prepare_instance.sh exceeded \(options.prepareLimit) s"
                                                      : "prepare_instance.sh exited with status \(prepare.status)")
                record.word = prepare.wasKilled ? "prepare_instance_timeout" : "error"
                return (record, nil, nil)
            }
            outcome = await ProcessRunner.run(
                shell, arguments: [scripts.appendingPathComponent("run_instance.sh").path, "v1", benchmark.category, onnx, vnnlib,
                                   resultURL.path, VerifierSpec.timeoutText(timeout)],
                currentDirectory: scripts, environment: options.environment,
                standardOutput: outURL, standardError: errURL, timeLimit: timeout + options.killGrace)
        }
        record.seconds = outcome.seconds
        record.exitStatus = outcome.wasKilled || outcome.launchError != nil ? nil : outcome.status
        if let launchError = outcome.launchError {
            record.note = launchError
            return (record, nil, nil)
        }
        if outcome.wasKilled {
            record.verdict = .timeout
            record.killed = true
            record.word = "timeout"
            record.note = String(format: "killed after %.1f s (timeout %@ s + %@ s grace)", outcome.seconds,
                                 VerifierSpec.timeoutText(timeout), VerifierSpec.timeoutText(options.killGrace))
            return (record, nil, nil)
        }
        guard let text = try? String(contentsOf: resultURL, encoding: .utf8),
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            record.note = "no result" + (outcome.succeeded ? "" : "; exit status \(outcome.status)")
            return (record, nil, nil)
        }
        let reading = ResultFile(reading: text)
        record.verdict = reading.word
        record.word = reading.token
        var notes: [String] = []
        if !reading.isRecognised { notes.append("unrecognised result word '\(reading.token)'") }
        if outcome.seconds > timeout && reading.word.isDecided {
            notes.append(String(format: "answered after the %@ s timeout", VerifierSpec.timeoutText(timeout)))
        }
        record.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        if record.verdict == .unsat && verifier.writesCertificates {
            record.certificate = CertificateCheck.check(proof: proofURL, onnx: benchmark.onnxURL(instance),
                                                        vnnlib: benchmark.vnnlibURL(instance))
        }
        return (record, reading.witness, reading.witnessProblem)
    }
}

extension BenchRunner {
    /// Scores `records` against the benchmark's labels, after re-validating the planted
    /// counterexamples.
    public func report(_ records: [RunRecord]) -> SoundnessReport {
        var validator = CounterexampleValidator()
        let planted = benchmark.validatePlanted(using: &validator)
        let timeouts = Set(benchmark.instances.map(\.timeout))
        return SoundnessReport.build(benchmark: benchmark.directory.path,
                                     timeout: options.timeout ?? (timeouts.count == 1 ? timeouts.first : nil),
                                     instances: benchmark.instances.map(\.key), verifiers: options.verifiers.map(\.name),
                                     labels: benchmark.labels, planted: planted, records: records)
    }
}

extension SoundnessReport {
    /// Writes `report.md`, `report.json` and `report.html` into `directory`.
    /// - Returns: the three files.
    /// - Throws: `SoundnessBenchError.cannotWrite`.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        let files = ["report.md", "report.json", "report.html"].map { directory.appendingPathComponent($0) }
        try FileIO.write(markdown, to: files[0])
        try FileIO.write(try json(), to: files[1])
        try FileIO.write(html, to: files[2])
        return files
    }
}
