/// The lower ReLU slopes α that gave one optimised intermediate bound (α-CROWN, Xu et al. 2021,
/// "Fast and Complete", §3.1): for the pre-activation `z` of `neuron` in the output of affine
/// layer `layer`, the slopes of its lower bound (of `z`) and of its upper bound (of `−z`), at the
/// earlier ReLU neurons that were unstable when the bound was computed.
///
/// Why: a proof certificate's checker cannot trust the verifier's optimised root bounds, and
/// re-optimising them in exact arithmetic would be far too slow; with these slopes it recomputes
/// each bound as one Lagrangian evaluation (any slopes give a valid bound).
public struct IntermediateSlopeHint: Sendable, Equatable {
    /// One slope: ReLU layer, neuron, α ∈ [0, 1].
    public struct Slope: Sendable, Equatable {
        public var layer: Int
        public var neuron: Int
        public var alpha: Double
    }

    /// The affine layer whose output neuron is bounded.
    public var layer: Int
    public var neuron: Int
    /// The slopes of the lower bound.
    public var lower: [Slope]
    /// The slopes of the upper bound.
    public var upper: [Slope]
}
