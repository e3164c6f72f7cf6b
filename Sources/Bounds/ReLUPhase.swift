/// The phase a branch-and-bound split fixes for one ReLU neuron.
///
/// Fixing a phase restricts the input region to the points where the neuron is in that phase,
/// so every method may clip the neuron's pre-activation bounds to the phase's half-line; the
/// bounds are then sound for that sub-region only.
public enum ReLUPhase: Sendable, Hashable, CustomStringConvertible {
    /// Pre-activation `≥ 0`; the ReLU is the identity.
    case active
    /// Pre-activation `≤ 0`; the ReLU outputs 0.
    case inactive

    public var description: String {
        switch self {
        case .active: "active"
        case .inactive: "inactive"
        }
    }
}
