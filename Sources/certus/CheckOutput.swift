import Foundation

/// What `certus check` found, printed as text or (with `--json`) as one JSON object; the
/// schema is docs/schema/check-output.schema.json, versioned as `VerifyOutput` is.
struct CheckOutput: Encodable {
    /// `valid` (exit 0), `invalid` (exit 1), `unchecked` (a verdict without a witness, exit 0),
    /// or `error` for bad input (exit 2).
    enum Status: String, Encodable {
        case valid, invalid, unchecked, error
    }

    var schemaVersion = VerifyOutput.schemaVersion
    var tool = "certus \(certusVersion)"
    var model: String
    var property: String
    var resultFile: String
    var status: Status
    /// The verdict word of the result file, once it was read.
    var result: String?
    /// Why the witness is refuted, or the input error.
    var reason: String?
    /// For a valid witness: the case it falsifies and its margins.
    var `case`: Int?
    var marginFloat64: Double?
    var marginFloat32: Double?
    var holdsInFloat32: Bool?
    /// The largest difference between the outputs the file states and the network's float64
    /// outputs, when the file states outputs.
    var statedOutputDeviation: Double?
    /// The network's float64 outputs at the witness.
    var y: [Double]?

    /// The text form: one line saying what was found, as before `--json` existed.
    var text: String {
        switch status {
        case .unchecked:
            return "\(result ?? "unknown"): no counterexample to check"
        case .invalid:
            return "invalid: \(reason ?? "the witness does not reach the unsafe set")"
        case .error:
            return "error: \(reason ?? "")"
        case .valid:
            let float32 = holdsInFloat32 == true
                ? "holds in float32 too" : "float32 outputs miss by at most 1e-4 (VNN-COMP tolerance)"
            var lines = ["valid: case \(self.case ?? 0), margin float64 \(marginFloat64 ?? 0), float32 \(marginFloat32 ?? 0); \(float32)"]
            if let statedOutputDeviation {
                lines.append("stated outputs differ from the network's float64 outputs by at most \(statedOutputDeviation)")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// One line of JSON, keys sorted.
    var json: String {
        JSONLine.encode(self) ?? "{\"schemaVersion\":\(schemaVersion),\"status\":\"\(status.rawValue)\"}"
    }
}
