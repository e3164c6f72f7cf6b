import ExactArithmetic
import NetworkIR
import VNNLIB

/// Small hand-built networks and properties shared by the search tests.
enum SearchFixtures {
    /// The exact rational of a double literal (test data are finite).
    static func q(_ value: Double) -> Rational {
        Rational(exactly: value) ?? .zero
    }

    /// A box with the given bounds.
    static func box(_ bounds: [(Double, Double)]) -> InputBox {
        InputBox(lower: bounds.map { q($0.0) }, upper: bounds.map { q($0.1) })
    }

    /// `Y_j >= value` (as `value − Y_j <= 0`), or `>` when `strict`.
    static func outputAtLeast(_ j: Int, _ value: Rational, strict: Bool = false) -> LinearConstraint {
        LinearConstraint(LinearExpression(terms: [(.output(j), Rational(-1))], constant: value), strict ? .less : .lessOrEqual)
    }

    /// `Y_j <= value` (as `Y_j − value <= 0`), or `<` when `strict`.
    static func outputAtMost(_ j: Int, _ value: Rational, strict: Bool = false) -> LinearConstraint {
        LinearConstraint(LinearExpression(terms: [(.output(j), .one)], constant: -value), strict ? .less : .lessOrEqual)
    }

    /// `Σ coefficients·X + constant <= 0` over inputs.
    static func inputs(_ coefficients: [Double], constant: Double) -> LinearConstraint {
        LinearConstraint(LinearExpression(terms: coefficients.enumerated().map { (.input($0.offset), q($0.element)) },
                                          constant: q(constant)), .lessOrEqual)
    }

    /// One-case specification.
    static func spec(inputs: Int, outputs: Int, box: InputBox, inputConstraints: [LinearConstraint] = [],
                     _ constraints: [LinearConstraint]) -> Specification {
        Specification(inputCount: inputs, outputCount: outputs,
                      cases: [SpecificationCase(box: box, inputConstraints: inputConstraints, outputConstraints: constraints)])
    }

    /// `y = w·x` for one input and one output.
    static func scale(_ w: Double) throws -> Network {
        try Network(inputShape: [1], layers: [.affine(AffineLayer(weights: Matrix([[w]]), bias: [0]))])
    }

    /// x ∈ R², h = relu([[1, -1], [2, 1]]·x + [0, -1]), y = [1, 1]·h / 2 (NetworkIR's test net).
    static func small() throws -> Network {
        try Network(inputShape: [1, 2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, -1], [2, 1]]), bias: [0, -1])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1, 1]]), bias: [0])),
            .divide(divisors: [2]),
        ])
    }

    /// `y = 0.3 − |x₀ − 0.5| − |x₁ − 0.5|` built from ReLUs (|a| = relu(a) + relu(−a)): a peak
    /// at (0.5, 0.5), linear with non-zero gradient everywhere else.
    static func peak() throws -> Network {
        try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, 0], [-1, 0], [0, 1], [0, -1]]), bias: [-0.5, 0.5, -0.5, 0.5])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[-1, -1, -1, -1]]), bias: [0.3])),
        ])
    }

    /// A random dense ReLU network (for gradient checks), deterministic per seed.
    static func random(sizes: [Int], seed: UInt64) throws -> Network {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53 * 2 - 1
        }
        var layers: [Layer] = []
        for k in 1..<sizes.count {
            let w = Matrix(rows: sizes[k], columns: sizes[k - 1], storage: (0..<(sizes[k] * sizes[k - 1])).map { _ in next() })
            layers.append(.affine(AffineLayer(weights: w, bias: (0..<sizes[k]).map { _ in next() * 0.5 })))
            if k < sizes.count - 1 { layers.append(.relu) }
        }
        return try Network(inputShape: [sizes[0]], layers: layers)
    }
}

extension SearchFixtures {
    /// A ReLU "needle": `y = 100·relu(0.01 − (1 − x₀) − |x₁|) − 0.05·(x₀ + 1) − 0.05` on
    /// `[-1, 1]²`. `y ≥ 0` only within about 0.0085 of (1, 0), an edge midpoint of the box
    /// (a grid point of the default grid); elsewhere the gradient pulls toward `x₀ = −1`.
    static func edgeNeedle() throws -> Network {
        try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[0, 1], [0, -1], [1, 0]]), bias: [0, 0, 1])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[-1, -1, 1], [0, 0, 1]]), bias: [0.01 - 2, 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[100, -0.05]]), bias: [-0.05])),
        ])
    }

    /// `y = 100·relu(0.01 − |x₀ − 0.5| − |x₁ − 0.5|) − 0.1`: a needle at (0.5, 0.5), between
    /// the points of the default grid on `[-1, 1]²` (but on the grid with two spans).
    static func interiorNeedle() throws -> Network {
        try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, 0], [-1, 0], [0, 1], [0, -1]]), bias: [-0.5, 0.5, -0.5, 0.5])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[-1, -1, -1, -1]]), bias: [0.01])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[100]]), bias: [-0.1])),
        ])
    }

    /// SoundnessBench's construction in miniature (Zhou et al. 2024): 10 inputs in
    /// `[-0.02, 0.02]`, and the only counterexamples lie next to the corner `signs·0.02`:
    /// `y = 1000·relu(signs·x − 0.1999) − 0.01·relu(signs·x + 1)`, unsafe `y ≥ 0` (the second
    /// unit is `signs·x + 1` on the box, a gentle slope away from the corner).
    static func cornerPocket(signs: [Double]) throws -> Network {
        try Network(inputShape: [signs.count], layers: [
            .affine(AffineLayer(weights: Matrix([signs, signs]), bias: [-0.1999, 1])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1000, -0.01]]), bias: [0])),
        ])
    }

    /// `z = A·x` with A = [[1, 1], [1, −1]] (layer 0), then ReLU, then `y = c·relu(z) + d`.
    static func rotated(outputWeights: [Double], bias: Double) throws -> Network {
        try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, 1], [1, -1]]), bias: [0, 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([outputWeights]), bias: [bias])),
        ])
    }
}
