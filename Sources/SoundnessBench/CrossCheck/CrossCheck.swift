import Foundation
import ResultCodec

/// Compares several verifiers' results on any VNN-COMP benchmark, validates every
/// counterexample, and lists every instance where they disagree, marking which side a valid
/// counterexample refutes.
///
/// Each results CSV (`category,onnx,vnnlib,prepare_time,result,run_time`) names one verifier by
/// its file name. Counterexamples are read from the folder next to it with the same name
/// (`RESULTS/<name>/<onnx stem>_<vnnlib stem>.counterexample`, the runner's layout); when that
/// folder does not exist, `sat` answers are reported as unchecked rather than invalid. Model and
/// property paths in the CSV are resolved against the benchmark folder as written, or else by
/// file name anywhere below it (VNN-COMP CSVs carry paths such as
/// `./benchmarks/acasxu/prop_1.vnnlib`). Rows naming files that are not in the benchmark are
/// skipped and counted. An `unsat` with a proof certificate in that folder
/// (`<onnx stem>_<vnnlib stem>.proof.jsonl`, as the runner writes for a template with `{proof}`)
/// has it checked; one that fails counts as an unsound claim.
public struct CrossCheck {
    /// What a cross-check produced.
    public struct Outcome: Sendable {
        public var report: SoundnessReport
        /// Rows skipped because their files are not in the benchmark, per verifier.
        public var skippedRows: [String: Int]
        /// Verifiers whose counterexample folder is missing.
        public var withoutCounterexamples: [String]
    }

    /// Runs the cross-check.
    /// - Throws: `SoundnessBenchError` for a missing benchmark folder, an unreadable or malformed
    ///   CSV, or two CSVs with the same name.
    public static func run(benchmark directory: URL, results: [URL]) throws -> Outcome {
        guard FileIO.isDirectory(directory) else {
            throw SoundnessBenchError.missingPath(path: directory.path, role: "benchmark folder")
        }
        guard !results.isEmpty else {
            throw SoundnessBenchError.invalidOption(name: "RESULTS.csv", reason: "give at least one results CSV")
        }
        let index = FileIndex(directory: directory)
        var names: [String] = []
        var records: [RunRecord] = []
        var skipped: [String: Int] = [:]
        var withoutCounterexamples: [String] = []
        var validator = CounterexampleValidator()
        var instances: [InstanceKey] = []
        var seenInstances = Set<InstanceKey>()
        for url in results {
            let name = url.deletingPathExtension().lastPathComponent
            guard !names.contains(name) else {
                throw SoundnessBenchError.invalidOption(name: url.path, reason: "two results files are named '\(name)'; rename one")
            }
            names.append(name)
            let rows = try ResultsCSV.read(url)
            let folder = url.deletingPathExtension()
            let hasFolder = FileIO.isDirectory(folder)
            if !hasFolder { withoutCounterexamples.append(name) }
            var seen = Set<InstanceKey>()
            for row in rows {
                guard let onnx = index.resolve(row.onnx), let vnnlib = index.resolve(row.vnnlib) else {
                    skipped[name, default: 0] += 1
                    continue
                }
                let key = InstanceKey(onnx: onnx, vnnlib: vnnlib)
                guard seen.insert(key).inserted else { continue }  // first answer counts
                if seenInstances.insert(key).inserted { instances.append(key) }
                let word = row.word.trimmingCharacters(in: .whitespaces)
                let verdict = ResultWord.parse(word: word) ?? .error
                var record = RunRecord(verifier: name, onnx: onnx, vnnlib: vnnlib, verdict: verdict, word: word,
                                       seconds: row.seconds, prepareSeconds: row.prepareSeconds,
                                       note: ResultWord.parse(word: word) == nil ? "unrecognised result word '\(word)'" : nil)
                if verdict == .sat {
                    let onnxURL = directory.appendingPathComponent(onnx), vnnlibURL = directory.appendingPathComponent(vnnlib)
                    if !hasFolder {
                        record.witness = WitnessCheck(status: .unavailable, reason: "no counterexample folder \(folder.lastPathComponent)/")
                    } else if let text = counterexampleText(folder: folder, key: InstanceKey(onnx: row.onnx, vnnlib: row.vnnlib)) {
                        let reading = ResultFile(reading: text)
                        let parsed = reading.word == .sat && reading.isRecognised
                            ? reading.witness.map { Result<Witness, WitnessProblem>.success($0) }
                                ?? .failure(WitnessProblem(reading.witnessProblem ?? "no witness"))
                            : ResultFile.parseWitness(text)
                        switch parsed {
                        case let .success(witness):
                            record.witness = validator.validate(witness, problem: nil, onnx: onnxURL, vnnlib: vnnlibURL)
                        case let .failure(problem):
                            record.witness = .invalid(problem.description)
                        }
                    } else {
                        record.witness = .invalid("sat, but no counterexample file \(InstanceKey(onnx: row.onnx, vnnlib: row.vnnlib).stem).counterexample")
                    }
                }
                let proof = folder.appendingPathComponent(CertificateCheck.fileName(stem: InstanceKey(onnx: row.onnx, vnnlib: row.vnnlib).stem))
                if verdict == .unsat, hasFolder, FileManager.default.fileExists(atPath: proof.path) {
                    record.certificate = CertificateCheck.check(proof: proof, onnx: directory.appendingPathComponent(onnx),
                                                                vnnlib: directory.appendingPathComponent(vnnlib))
                }
                records.append(record)
            }
        }
        var labels: [InstanceKey: InstanceLabel] = [:]
        var planted: [InstanceKey: Bool] = [:]
        if let benchmark = try? Benchmark(directory: directory) {
            labels = benchmark.labels
            planted = benchmark.validatePlanted(using: &validator)
        }
        let report = SoundnessReport.build(benchmark: directory.path, timeout: nil, instances: instances, verifiers: names,
                                           labels: labels, planted: planted, records: records)
        return Outcome(report: report, skippedRows: skipped, withoutCounterexamples: withoutCounterexamples)
    }

    /// The text of the counterexample (or result) file for `key` in `folder`.
    static func counterexampleText(folder: URL, key: InstanceKey) -> String? {
        for suffix in [".counterexample", ".result", ".txt"] {
            let url = folder.appendingPathComponent(key.stem + suffix)
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
        }
        return nil
    }
}

/// Finds benchmark files by the path a CSV gives, or by file name below the folder.
struct FileIndex {
    let directory: URL
    /// Relative paths by file name, for `.onnx` and `.vnnlib` files up to four levels down.
    var byName: [String: [String]] = [:]

    init(directory: URL) {
        self.directory = directory
        let base = directory.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return }
        while let relative = enumerator.nextObject() as? String {
            if relative.split(separator: "/").count > 4 { enumerator.skipDescendants(); continue }
            guard relative.hasSuffix(".onnx") || relative.hasSuffix(".vnnlib") else { continue }
            byName[(relative as NSString).lastPathComponent, default: []].append(relative)
        }
    }

    /// The path relative to the folder, or nil when the file is not there (or its name is
    /// ambiguous).
    func resolve(_ path: String) -> String? {
        let normalised = InstanceKey.normalise(path)
        if !normalised.isEmpty, !normalised.hasPrefix("/"),
           FileManager.default.fileExists(atPath: directory.appendingPathComponent(normalised).path) {
            return normalised
        }
        let candidates = byName[(normalised as NSString).lastPathComponent] ?? []
        return candidates.count == 1 ? candidates[0] : nil
    }
}
