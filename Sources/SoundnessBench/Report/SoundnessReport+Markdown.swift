import Foundation
import ResultCodec

extension SoundnessReport {
    /// The report as Markdown: summary line, per-verifier table, then the lists.
    public var markdown: String {
        var lines: [String] = ["# Soundness report", ""]
        lines.append("Benchmark `\(benchmark)`: \(instanceCount) instances"
                     + (unverifiableCount + cleanCount > 0
                        ? " (\(unverifiableCount) with a planted counterexample, \(cleanCount) clean: no counterexample planted)" : "")
                     + ", timeout " + (timeout.map { VerifierSpec.timeoutText($0) + " s" } ?? "per instance") + ".")
        if let plantedValid, let plantedTotal {
            lines.append("Planted counterexamples re-validated on the benchmark files: \(plantedValid) of \(plantedTotal) hold in float64 and float32.")
        }
        lines.append("")
        lines.append(hasFindings
            ? "**FAIL**: \(unsoundClaims.count) unsound claim(s), \(invalidCounterexamples.count) invalid counterexample(s)."
            : "**PASS**: no unsound claim, no invalid counterexample.")
        lines.append("")
        lines.append("## Verifiers")
        lines.append("")
        lines.append(Self.table(header: Self.metricHeader, rows: verifiers.map(\.markdownRow)))
        lines.append("")
        lines.append("Ratios as in SoundnessBench: share of clean (resp. unverifiable) instances answered unsat (verified) or sat with a valid counterexample (falsified). An unverifiable-verified ratio above 0 means unsound.")
        lines.append("")
        lines.append("## Unsound claims (\(unsoundClaims.count))")
        lines.append("")
        lines.append(unsoundClaims.isEmpty ? "None." : Self.table(header: ["verifier", "onnx", "vnnlib", "why"],
                                                                  rows: unsoundClaims.map { [$0.verifier, $0.onnx, $0.vnnlib, $0.detail] }))
        lines.append("")
        lines.append("## Invalid counterexamples (\(invalidCounterexamples.count))")
        lines.append("")
        lines.append(invalidCounterexamples.isEmpty ? "None." : Self.table(
            header: ["verifier", "onnx", "vnnlib", "why"],
            rows: invalidCounterexamples.map { [$0.verifier, $0.onnx, $0.vnnlib, $0.detail] }))
        lines.append("")
        lines.append("## Disagreements (\(disagreements.count))")
        lines.append("")
        lines.append(disagreements.isEmpty ? "None." : Self.table(
            header: ["onnx", "vnnlib", "label", "answers", "refuted", "evidence"],
            rows: disagreements.map { d in
                [d.onnx, d.vnnlib, d.label?.rawValue ?? "-",
                 d.answers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "),
                 d.refuted.rawValue, d.detail]
            }))
        let troubled = records.filter { $0.verdict == .error || $0.verdict == .timeout || $0.note != nil }
        lines.append("")
        lines.append("## Timeouts, errors and notes (\(troubled.count))")
        lines.append("")
        if troubled.isEmpty {
            lines.append("None.")
        } else {
            let shown = troubled.prefix(100)
            lines.append(Self.table(header: ["verifier", "onnx", "vnnlib", "result", "seconds", "note"],
                                    rows: shown.map { [$0.verifier, $0.onnx, $0.vnnlib, $0.verdict.rawValue,
                                                       String(format: "%.2f", $0.seconds), $0.note ?? ""] }))
            if troubled.count > shown.count { lines += ["", "(\(troubled.count - shown.count) more in report.json)"] }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let metricHeader = ["verifier", "clean verified", "clean falsified", "unverifiable verified", "unverifiable falsified",
                               "sat", "unsat", "unknown", "timeout", "error", "unsound", "invalid cex", "float-sensitive cex",
                               "total s", "median decided s"]

    /// A Markdown table; `|` in cells is escaped.
    static func table(header: [String], rows: [[String]]) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: " | ") + " |"
        }
        return ([row(header), row(header.map { _ in "---" })] + rows.map(row)).joined(separator: "\n")
    }

    /// `0.40 (8/20)`-style ratio text, or `-` when there is no instance of the kind.
    static func ratioText(_ ratio: Double?) -> String { ratio.map { String(format: "%.3f", $0) } ?? "-" }
}

extension VerifierMetrics {
    /// Total answers with `verdict` over all labels.
    public func total(_ verdict: ResultWord) -> Int { counts.values.reduce(0) { $0 + $1[verdict.rawValue, default: 0] } }

    /// The cells of the per-verifier table.
    var markdownRow: [String] {
        [name, SoundnessReport.ratioText(cleanVerifiedRatio), SoundnessReport.ratioText(cleanFalsifiedRatio),
         SoundnessReport.ratioText(unverifiableVerifiedRatio) + (hasUnsound ? " (unsound)" : ""),
         SoundnessReport.ratioText(unverifiableFalsifiedRatio),
         "\(total(.sat))", "\(total(.unsat))", "\(total(.unknown))", "\(total(.timeout))", "\(total(.error))",
         "\(unsoundClaims)", "\(invalidCounterexamples)", "\(floatSensitiveCounterexamples)",
         String(format: "%.1f", totalSeconds), medianDecidedSeconds.map { String(format: "%.2f", $0) } ?? "-"]
    }
}
