/// A sound lower bound of a `LinearObjective` over a region, with the certificate that produced it.
public struct ObjectiveBound: Sendable, Equatable {
    /// The sound lower bound.
    public var lower: Double
    /// `a` of an affine minorant `objective ≥ a·x + c` valid for every input `x` of the region
    /// (restricted by phases); used to combine several objectives cheaply.
    public var inputCoefficients: [Double]
    /// `c` of that minorant (sound).
    public var inputConstant: Double
    /// The Lagrange multipliers that certify the bound: `multipliers[k]` are the coefficients on
    /// the output of layer `k` (Dvijotham et al. 2018, eq. 5). `LagrangianDual` warm-starts from them.
    public var multipliers: [[Double]]
    /// The lower ReLU slopes α (by ReLU layer) that produced the bound, so that further
    /// optimisation can continue from them (and proof certificates can record them).
    public internal(set) var slopes: [Int: [Double]] = [:]
    /// The nonzero multipliers β of split constraints in the bound (β-CROWN, Wang et al. 2021,
    /// eq. 4), for proof certificates; empty for a bound without split terms.
    public internal(set) var splitTerms: [SplitTerm] = []

    /// The multiplier β of the split constraint of `neuron` in ReLU layer `layer`.
    public struct SplitTerm: Sendable, Equatable {
        public var layer: Int
        public var neuron: Int
        public var beta: Double
    }

    /// Creates a bound with its certificate.
    public init(lower: Double, inputCoefficients: [Double], inputConstant: Double, multipliers: [[Double]]) {
        self.lower = lower
        self.inputCoefficients = inputCoefficients
        self.inputConstant = inputConstant
        self.multipliers = multipliers
    }
}
