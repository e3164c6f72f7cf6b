import Foundation
import Verifier

/// Renders a verification report as VNN-COMP text or as one JSON object.
enum ResultText {
    /// The VNN-COMP result: the verdict word, and for `sat` the witness with float64 outputs.
    static func vnncomp(_ verdict: Verdict) -> String {
        switch verdict {
        case let .violated(cex):
            var inputs: [Int: Double] = [:], outputs: [Int: Double] = [:]
            for (i, v) in cex.input.enumerated() { inputs[i] = v }
            for (j, v) in cex.output.enumerated() { outputs[j] = v }
            return ResultFile(word: .sat, inputs: inputs, outputs: outputs).text
        default:
            return verdict.word + "\n"
        }
    }

    /// One JSON object with the verdict, the counterexample, and each case's outcome.
    static func json(_ report: VerificationReport, model: String, property: String) throws -> String {
        var object: [String: Any] = [
            "model": model, "property": property,
            "result": report.verdict.word,
            "seconds": report.seconds,
        ]
        switch report.verdict {
        case let .violated(cex):
            object["counterexample"] = [
                "x": cex.input, "y": cex.output, "yFloat32": cex.outputFloat.map(Double.init),
                "case": cex.caseIndex, "marginFloat64": cex.marginDouble, "marginFloat32": cex.marginFloat,
                "foundBy": cex.foundBy,
            ] as [String: Any]
        case let .unknown(reason):
            object["reason"] = reason
        default:
            break
        }
        object["cases"] = report.cases.map { outcome -> [String: Any] in
            var c: [String: Any] = ["case": outcome.caseIndex, "seconds": outcome.seconds]
            switch outcome.status {
            case let .proved(method): c["status"] = "proved"; c["method"] = method
            case .falsified: c["status"] = "falsified"
            case let .unknown(reason): c["status"] = "unknown"; c["reason"] = reason
            case .timeout: c["status"] = "timeout"
            case .skipped: c["status"] = "skipped"
            }
            if !outcome.unstableReLUs.isEmpty { c["unstableReLUs"] = outcome.unstableReLUs }
            return c
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
