import Foundation
import Verifier

/// Renders a verdict as VNN-COMP text (`VerifyOutput` is the JSON form).
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
}
