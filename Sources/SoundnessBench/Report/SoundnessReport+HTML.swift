import Foundation

extension SoundnessReport {
    /// One self-contained HTML page: summary, cactus plot (inline SVG), tables. No scripts, no
    /// external resources.
    public var html: String {
        let timeoutText = timeout.map { VerifierSpec.timeoutText($0) + " s" } ?? "per instance"
        let maxTime = timeout ?? max(1, records.map(\.seconds).max() ?? 1)
        let plot = CactusPlot(series: verifiers.map { CactusPlot.Series(name: $0.name, times: $0.decidedTimes) },
                              maxTime: maxTime, maxCount: instanceCount)
        var body: [String] = []
        body.append("<h1>Soundness report</h1>")
        var summary = "Benchmark <code>\(HTML.escape(benchmark))</code>: \(instanceCount) instances"
        if unverifiableCount + cleanCount > 0 {
            summary += " (\(unverifiableCount) with a planted counterexample, \(cleanCount) clean: no counterexample planted)"
        }
        summary += ", timeout \(HTML.escape(timeoutText))."
        body.append("<p>\(summary)</p>")
        if let plantedValid, let plantedTotal {
            body.append("<p>Planted counterexamples re-validated on the benchmark files: \(plantedValid) of \(plantedTotal) hold in float64 and float32.</p>")
        }
        body.append(hasFindings
            ? "<p class=\"fail\">FAIL: \(unsoundClaims.count) unsound claim(s), \(invalidCounterexamples.count) invalid counterexample(s).</p>"
            : "<p class=\"pass\">PASS: no unsound claim, no invalid counterexample.</p>")
        body.append("<h2>Instances decided against time</h2>")
        body.append("<p class=\"note\">Counted: unsat answers not shown wrong, and sat answers with a valid counterexample.</p>")
        body.append("<figure>\(plot.svg)</figure>")
        body.append("<h2>Verifiers</h2>")
        body.append(Self.htmlTable(header: Self.metricHeader, rows: verifiers.map(\.markdownRow),
                                   flag: { row in row[10] != "0" || row[11] != "0" }))
        body.append("<h2>Unsound claims (\(unsoundClaims.count))</h2>")
        body.append(unsoundClaims.isEmpty ? "<p>None.</p>" : Self.htmlTable(
            header: ["verifier", "onnx", "vnnlib", "why"], rows: unsoundClaims.map { [$0.verifier, $0.onnx, $0.vnnlib, $0.detail] },
            flag: { _ in true }))
        body.append("<h2>Invalid counterexamples (\(invalidCounterexamples.count))</h2>")
        body.append(invalidCounterexamples.isEmpty ? "<p>None.</p>" : Self.htmlTable(
            header: ["verifier", "onnx", "vnnlib", "why"],
            rows: invalidCounterexamples.map { [$0.verifier, $0.onnx, $0.vnnlib, $0.detail] }, flag: { _ in true }))
        body.append("<h2>Disagreements (\(disagreements.count))</h2>")
        body.append(disagreements.isEmpty ? "<p>None.</p>" : Self.htmlTable(
            header: ["onnx", "vnnlib", "label", "answers", "refuted", "evidence"],
            rows: disagreements.map { d in
                [d.onnx, d.vnnlib, d.label?.rawValue ?? "-",
                 d.answers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "),
                 d.refuted.rawValue, d.detail]
            }, flag: { $0[4] == "unsat" }))
        body.append("<h2>All runs (\(records.count))</h2>")
        body.append(Self.htmlTable(
            header: ["verifier", "onnx", "vnnlib", "result", "counterexample", "seconds", "note"],
            rows: records.map { r in
                [r.verifier, r.onnx, r.vnnlib, r.verdict.rawValue, r.witness?.status.rawValue ?? "",
                 String(format: "%.2f", r.seconds), r.note ?? ""]
            }, flag: { _ in false }))
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Soundness report</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1200px; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }
        th { background: #f2f2f2; }
        tr.flag td { background: #fde8e8; }
        code { background: #f4f4f4; padding: 0 3px; }
        .pass { color: #176f2c; font-weight: bold; font-size: 1.2em; }
        .fail { color: #b00020; font-weight: bold; font-size: 1.2em; }
        .note { color: #555; font-size: 13px; }
        figure { margin: 0; }
        </style>
        </head>
        <body>
        \(body.joined(separator: "\n"))
        </body>
        </html>

        """
    }

    /// An HTML table; rows for which `flag` holds are highlighted.
    static func htmlTable(header: [String], rows: [[String]], flag: ([String]) -> Bool) -> String {
        var lines = ["<table>", "<tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>"]
        for row in rows {
            lines.append("<tr\(flag(row) ? " class=\"flag\"" : "")>" + row.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>")
        }
        lines.append("</table>")
        return lines.joined(separator: "\n")
    }
}
