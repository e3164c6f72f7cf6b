/// A narrow ReLU pocket planted in a network: near `centre` the target class's score is raised
/// by up to `amplitude`, and nowhere else.
///
/// The pocket adds `amplitude · bump(x)` to output `target`, with
/// `bump(x) = relu(1 − Σ_{i ∈ dimensions} |x_i − centre_i| / width_i)`, built from two ReLU
/// layers: `|t| = relu(t) + relu(−t)`, then the outer ReLU. The bump is 1 at the centre and 0
/// outside the weighted L1 ball `Σ |x_i − c_i| / w_i < 1`, so gradients there are zero and a
/// gradient attack that does not start inside the ball never sees it. Where the pocket's
/// counterexamples lie: `f_target(x) − f_label(x) + amplitude·bump(x) ≥ 0`, a sub-ball around the
/// centre of relative radius about `δ / amplitude` with `δ` the margin at the centre.
public struct Pocket: Sendable, Equatable, Codable {
    /// Where the pocket peaks: the planted counterexample (a full input vector).
    public var centre: [Double]
    /// The inputs that bound the pocket's support (all of them for small inputs).
    public var dimensions: [Int]
    /// The support's half-width along each of `dimensions`.
    public var widths: [Double]
    /// The class the property protects.
    public var label: Int
    /// The class the pocket pushes up.
    public var target: Int
    /// The height of the bump added to the target's score.
    public var amplitude: Double

    public init(centre: [Double], dimensions: [Int], widths: [Double], label: Int, target: Int, amplitude: Double) {
        precondition(dimensions.count == widths.count && widths.allSatisfy { $0 > 0 }, "invalid pocket widths")
        self.centre = centre
        self.dimensions = dimensions
        self.widths = widths
        self.label = label
        self.target = target
        self.amplitude = amplitude
    }

    /// `bump(x)` in double precision.
    public func bump(_ x: [Double]) -> Double {
        var s = 0.0
        for (k, i) in dimensions.enumerated() { s += abs(x[i] - centre[i]) / widths[k] }
        return max(0, 1 - s)
    }

    /// Whether the support (the open weighted L1 ball) can meet the box `[lower, upper]`: false
    /// when some bounded dimension keeps the box at least one width away.
    public func supportMeets(lower: [Double], upper: [Double]) -> Bool {
        var s = 0.0
        for (k, i) in dimensions.enumerated() {
            let gap = max(0, lower[i] - centre[i], centre[i] - upper[i])
            s += gap / widths[k]
        }
        return s < 1
    }
}
