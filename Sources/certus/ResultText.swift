import Foundation
import ResultCodec
import Verifier

/// Renders a verdict as VNN-COMP text (`VerifyOutput` is the JSON form).
enum ResultText {
    /// The VNN-COMP result: the verdict word, and for `sat` the witness with float64 outputs.
    static func vnncomp(_ verdict: Verdict) -> String {
        switch verdict {
        case let .violated(cex):
            var witness = Witness(inputs: [:])
            for (i, v) in cex.input.enumerated() { witness.inputs[i] = v }
            for (j, v) in cex.output.enumerated() { witness.outputs[j] = v }
            return ResultFile(word: .sat, witness: witness).text
        default:
            return verdict.word.rawValue + "\n"
        }
    }
}
