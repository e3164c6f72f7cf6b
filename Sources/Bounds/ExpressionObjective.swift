import ExactArithmetic
import NetworkIR
import VNNLIB

/// A VNN-LIB linear expression (exact rational coefficients) as a `LinearObjective` of doubles
/// plus the bookkeeping that keeps its bounds sound.
///
/// Each coefficient `a` becomes the nearest double `ã` and the objective is bounded with `ã`;
/// the exact expression then differs by `Σ (a − ã)·v`, which is at least
/// `−Σ δ·max(|l|, |u|)` over the variable boxes, with `δ ≥ |a − ã|` rounded up. The constant is
/// rounded down. So `lower(expression) ≥ lower(objective) − correction(bounds)`.
struct ExpressionObjective: Sendable {
    /// The double objective (constant rounded down).
    let objective: LinearObjective
    /// `δ` per output coefficient.
    let outputSlack: [Double]
    /// `δ` per input coefficient.
    let inputSlack: [Double]

    /// - Throws: `BoundsError.variableOutOfRange` for a variable the network lacks.
    init(_ expression: LinearExpression, network: Network) throws {
        var output = [Double](repeating: 0, count: network.outputSize)
        var input = [Double](repeating: 0, count: network.inputSize)
        var outputSlack = output, inputSlack = input
        for (variable, coefficient) in expression.terms {
            let nearest = coefficient.toDouble()
            let slack: Double
            if let exact = Rational(exactly: nearest) {
                let difference = coefficient - exact
                slack = (difference.signum < 0 ? -difference : difference).toDouble(rounding: .up)
            } else {
                slack = .infinity
            }
            switch variable {
            case let .input(i):
                guard i >= 0, i < network.inputSize else {
                    throw BoundsError.variableOutOfRange(variable, inputs: network.inputSize, outputs: network.outputSize)
                }
                input[i] = nearest
                inputSlack[i] = slack
            case let .output(j):
                guard j >= 0, j < network.outputSize else {
                    throw BoundsError.variableOutOfRange(variable, inputs: network.inputSize, outputs: network.outputSize)
                }
                output[j] = nearest
                outputSlack[j] = slack
            }
        }
        objective = LinearObjective(outputCoefficients: output, inputCoefficients: input,
                                    constant: expression.constant.toDouble(rounding: .down))
        self.outputSlack = outputSlack
        self.inputSlack = inputSlack
    }

    /// An upper bound of `|expression − objective|` over the boxes of `bounds`.
    func correction(_ bounds: NetworkBounds) -> Double {
        var total = 0.0
        for (slack, box) in [(outputSlack, bounds.output), (inputSlack, bounds.input)] {
            for j in slack.indices where slack[j] != 0 {
                total += slack[j] * max(abs(box.lower[j]), abs(box.upper[j]))
            }
        }
        guard total.isFinite else { return .infinity }
        return (total * (1 + 0x1p-40)).nextUp
    }

    /// A sound lower bound of the exact expression, given a sound lower bound of `objective`.
    func soundLower(_ objectiveLower: Double, _ bounds: NetworkBounds) -> Double {
        let correction = correction(bounds)
        if correction == 0 { return objectiveLower }
        return SoundRounding.lower(objectiveLower, error: correction)
    }
}
