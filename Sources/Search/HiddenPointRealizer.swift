import VNNLIB

/// The answer to "is this hidden-layer vector produced by some input in the region?".
public enum Realization: Sendable, Equatable {
    /// An input in the region whose layer-`k` vector lies within the tolerance of the target.
    case realized([Double])
    /// Proved: no input in the region comes within the tolerance of the target.
    case spurious
    /// Undecided (time-out, incomplete method); the reason is for reports.
    case unknown(String)
}

/// Maps a hidden-layer point back to the input space: DLV's back-mapping step, which asks Z3
/// for an input whose layer-k activation matches a misclassified hidden point (Huang et al.
/// 2017, "Safety Verification of Deep Neural Networks", layer-by-layer analysis).
///
/// Injected into `ManipulationSearch`: the exact answer comes from the layered Z3 encoder of
/// layers 0…k; `GradientRealizer` gives an incomplete one (it never answers `.spurious`).
public protocol HiddenPointRealizer: Sendable {
    /// Looks for `x` in the region with `‖N₀..ₖ(x) − target‖∞ ≤ tolerance`.
    /// - Parameters:
    ///   - layer: `k`, the index of the layer whose output `target` is.
    ///   - target: the hidden vector, one entry per output of layer `k`.
    ///   - tolerance: the allowed distance in the maximum norm.
    ///   - region: the specification case whose box and input constraints bound `x`.
    ///   - deadline: when to give up with `.unknown`.
    func realize(layer: Int, target: [Double], tolerance: Double, region: SpecificationCase,
                 deadline: ContinuousClock.Instant?) -> Realization
}
