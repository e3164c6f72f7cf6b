import Foundation

/// The outcome of running (or cross-checking) verifiers on a benchmark: metrics per verifier,
/// unsound claims, invalid counterexamples, disagreements, and every record. Rendered as
/// Markdown, JSON and a self-contained HTML page.
public struct SoundnessReport: Sendable, Equatable, Codable {
    /// The benchmark folder.
    public var benchmark: String
    /// The per-instance timeout in force (nil: each instance's own).
    public var timeout: Double?
    public var instanceCount: Int
    public var unverifiableCount: Int
    public var cleanCount: Int
    /// Planted counterexamples re-validated on the benchmark files: how many hold in both
    /// precisions, out of how many there are (nil without `hidden/`).
    public var plantedValid: Int?
    public var plantedTotal: Int?
    public var verifiers: [VerifierMetrics]
    public var unsoundClaims: [Finding]
    public var invalidCounterexamples: [Finding]
    public var disagreements: [Disagreement]
    public var records: [RunRecord]

    /// True when a verifier made an unsound claim or gave an invalid counterexample: the
    /// condition for a non-zero exit status.
    public var hasFindings: Bool { !unsoundClaims.isEmpty || !invalidCounterexamples.isEmpty }

    /// Scores `records`.
    /// - Parameters:
    ///   - verifiers: names in report order.
    ///   - labels: instance labels (empty for a benchmark without `hidden/labels.csv`).
    ///   - planted: for each unverifiable instance, whether its planted counterexample holds in
    ///     both precisions (an instance missing here is trusted by its label).
    ///   - instances: every instance of the benchmark.
    public static func build(benchmark: String, timeout: Double?, instances: [InstanceKey], verifiers: [String],
                             labels: [InstanceKey: InstanceLabel], planted: [InstanceKey: Bool],
                             records: [RunRecord]) -> SoundnessReport {
        let byInstance = Dictionary(grouping: records, by: \.key)
        func label(_ key: InstanceKey) -> InstanceLabel? { labels[key] }
        /// Evidence that the instance is sat: the planted point, or a counterexample valid in
        /// both precisions from some verifier.
        func refutation(_ key: InstanceKey) -> String? {
            if label(key) == .unverifiable && planted[key] != false {
                return "the instance has a planted counterexample" + (planted[key] == true ? " (valid in float64 and float32)" : "")
            }
            if let witness = byInstance[key]?.first(where: { $0.verdict == .sat && $0.witness?.status == .valid }) {
                return "\(witness.verifier)'s counterexample is valid in float64 and float32"
            }
            return nil
        }

        var unsound: [Finding] = []
        var invalid: [Finding] = []
        for record in records {
            if record.verdict == .unsat, let why = refutation(record.key) {
                unsound.append(Finding(verifier: record.verifier, onnx: record.onnx, vnnlib: record.vnnlib, verdict: .unsat,
                                       detail: "unsat, but \(why)"))
            } else if record.hasInvalidCertificate {
                // The verifier's own proof does not check: the claim stands on nothing.
                unsound.append(Finding(verifier: record.verifier, onnx: record.onnx, vnnlib: record.vnnlib, verdict: .unsat,
                                       detail: "unsat, but its proof certificate is invalid: \(record.certificate?.detail ?? "")"))
            }
            if record.isInvalidSat {
                invalid.append(Finding(verifier: record.verifier, onnx: record.onnx, vnnlib: record.vnnlib, verdict: .sat,
                                       detail: record.witness?.reason ?? "no counterexample"))
            }
        }

        var disagreements: [Disagreement] = []
        for key in instances {
            guard let runs = byInstance[key] else { continue }
            let sats = runs.filter { $0.verdict == .sat }, unsats = runs.filter { $0.verdict == .unsat }
            guard !sats.isEmpty, !unsats.isEmpty else { continue }
            var answers: [String: String] = [:]
            for run in runs {
                answers[run.verifier] = run.verdict == .sat ? "sat (\(run.witness?.status.rawValue ?? "no witness"))" : run.verdict.rawValue
            }
            let refuted: Disagreement.Refuted
            let detail: String
            if let why = refutation(key) {
                refuted = .unsat
                detail = "unsat is refuted: \(why)"
            } else if sats.allSatisfy(\.isInvalidSat) {
                refuted = .sat
                detail = "sat is refuted: no stated counterexample is valid in either precision"
            } else {
                refuted = .undetermined
                detail = sats.contains(where: { $0.witness?.status == .unavailable })
                    ? "no counterexample is available to check" : "the counterexamples hold in one precision only"
            }
            disagreements.append(Disagreement(onnx: key.onnx, vnnlib: key.vnnlib, label: label(key), answers: answers,
                                              refuted: refuted, detail: detail))
        }

        let unsoundKeys = Set(unsound.map { "\($0.verifier)\u{0}\(InstanceKey(onnx: $0.onnx, vnnlib: $0.vnnlib))" })
        let metrics = verifiers.map { name -> VerifierMetrics in
            let mine = records.filter { $0.verifier == name }
            var counts: [String: [String: Int]] = [:]
            for r in mine { counts[label(r.key)?.rawValue ?? "unlabelled", default: [:]][r.verdict.rawValue, default: 0] += 1 }
            let allClean = instances.filter { label($0) == .clean }.count
            let allUnverifiable = instances.filter { label($0) == .unverifiable }.count
            func ratio(_ l: InstanceLabel, _ pick: (RunRecord) -> Bool, over total: Int) -> Double? {
                total == 0 ? nil : Double(mine.filter { label($0.key) == l && pick($0) }.count) / Double(total)
            }
            let decided = mine.filter {
                ($0.verdict == .unsat && !unsoundKeys.contains("\(name)\u{0}\($0.key)")) || $0.isValidSat
            }
            let decidedTimes = decided.map { $0.seconds + $0.prepareSeconds }.sorted()
            let allDecided = mine.filter { $0.verdict.isDecided }.map(\.seconds).sorted()
            return VerifierMetrics(
                name: name, counts: counts,
                cleanVerifiedRatio: ratio(.clean, { $0.verdict == .unsat }, over: allClean),
                cleanFalsifiedRatio: ratio(.clean, \.isValidSat, over: allClean),
                unverifiableVerifiedRatio: ratio(.unverifiable, { $0.verdict == .unsat }, over: allUnverifiable),
                unverifiableFalsifiedRatio: ratio(.unverifiable, \.isValidSat, over: allUnverifiable),
                unsoundClaims: unsound.filter { $0.verifier == name }.count,
                invalidCounterexamples: invalid.filter { $0.verifier == name }.count,
                floatSensitiveCounterexamples: mine.filter {
                    $0.witness?.status == .validFloat32Only || $0.witness?.status == .validFloat64Only
                }.count,
                timeouts: mine.filter { $0.verdict == .timeout }.count,
                errors: mine.filter { $0.verdict == .error }.count,
                unknowns: mine.filter { $0.verdict == .unknown }.count,
                totalSeconds: mine.reduce(0) { $0 + $1.seconds + $1.prepareSeconds },
                medianDecidedSeconds: allDecided.isEmpty ? nil : allDecided[allDecided.count / 2],
                decidedTimes: decidedTimes)
        }
        let plantedValues = instances.compactMap { planted[$0] }
        return SoundnessReport(
            benchmark: benchmark, timeout: timeout, instanceCount: instances.count,
            unverifiableCount: instances.filter { label($0) == .unverifiable }.count,
            cleanCount: instances.filter { label($0) == .clean }.count,
            plantedValid: plantedValues.isEmpty ? nil : plantedValues.filter { $0 }.count,
            plantedTotal: plantedValues.isEmpty ? nil : plantedValues.count,
            verifiers: metrics, unsoundClaims: unsound, invalidCounterexamples: invalid,
            disagreements: disagreements, records: records)
    }

    /// The report as pretty-printed JSON.
    /// - Throws: `SoundnessBenchError.cannotWrite` if encoding fails.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try encoder.encode(self)
        } catch {
            throw SoundnessBenchError.cannotWrite(path: "report.json", reason: "\(error)")
        }
    }
}
