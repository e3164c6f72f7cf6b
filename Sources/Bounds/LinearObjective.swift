import NetworkIR

/// A linear function `c·y + d·x + e` of the network output `y` and input `x`, with coefficients
/// that are exactly the doubles stored here. Methods return sound lower bounds of it over a
/// region; an upper bound is the negated lower bound of `negated`.
public struct LinearObjective: Sendable, Equatable {
    /// `c`, one coefficient per network output.
    public var outputCoefficients: [Double]
    /// `d`, one coefficient per network input (zeros when the objective ignores the input).
    public var inputCoefficients: [Double]
    /// `e`.
    public var constant: Double

    /// Creates `c·y + d·x + e`.
    public init(outputCoefficients: [Double], inputCoefficients: [Double], constant: Double = 0) {
        self.outputCoefficients = outputCoefficients
        self.inputCoefficients = inputCoefficients
        self.constant = constant
    }

    /// The objective `yⱼ` (or `−yⱼ` when `negated`) for `network`.
    public static func output(_ j: Int, of network: Network, negated: Bool = false) -> LinearObjective {
        var c = [Double](repeating: 0, count: network.outputSize)
        c[j] = negated ? -1 : 1
        return LinearObjective(outputCoefficients: c, inputCoefficients: [Double](repeating: 0, count: network.inputSize))
    }

    /// `−(c·y + d·x + e)`.
    public var negated: LinearObjective {
        LinearObjective(outputCoefficients: outputCoefficients.map { -$0 },
                        inputCoefficients: inputCoefficients.map { -$0 }, constant: -constant)
    }

    /// Checks the coefficient counts against `network`.
    /// - Throws: `BoundsError.objectiveSizeMismatch`.
    func validate(for network: Network) throws {
        guard outputCoefficients.count == network.outputSize, inputCoefficients.count == network.inputSize else {
            throw BoundsError.objectiveSizeMismatch(expectedOutputs: network.outputSize, actualOutputs: outputCoefficients.count,
                                                    expectedInputs: network.inputSize, actualInputs: inputCoefficients.count)
        }
    }

    /// A sound lower bound of the objective over the product of the output box and the input
    /// box (it ignores how `y` depends on `x`, so it is the weakest bound the boxes allow).
    /// - Soundness: each term `min(cⱼlⱼ, cⱼuⱼ)` is summed in round-to-nearest and the sum widened
    ///   by `γ·Σ|cⱼ|·max(|lⱼ|,|uⱼ|)`; zero coefficients are skipped, so `0·∞` never arises.
    func boxLowerBound(output: IntervalVector, input: IntervalVector) -> Double {
        var total = constant, size = abs(constant)
        var terms = 1
        for (coefficients, box) in [(outputCoefficients, output), (inputCoefficients, input)] {
            for j in coefficients.indices where coefficients[j] != 0 {
                let c = coefficients[j]
                let term = min(c * box.lower[j], c * box.upper[j])
                guard term.isFinite else { return -.infinity }
                total += term
                size += abs(c) * max(abs(box.lower[j]), abs(box.upper[j]))
                terms += 1
            }
        }
        guard total.isFinite, size.isFinite else { return -.infinity }
        return SoundRounding.lower(total, error: SoundRounding.gamma(terms) * size + SoundRounding.underflow(terms))
    }
}
