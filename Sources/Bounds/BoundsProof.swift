/// Why a method proved a specification case unreachable.
public enum BoundsProof: Sendable, Equatable, CustomStringConvertible {
    /// The case's input box is empty.
    case emptyInputRegion
    /// The fixed ReLU phases contradict the bounds: the branch-and-bound sub-region is empty.
    case emptySubRegion
    /// Constraint `index` (input constraints first, then output constraints) cannot hold: the
    /// sound minimum of its expression is > 0 (≥ 0 for `<`), or for `=` the expression is
    /// bounded away from 0.
    case constraint(index: Int)
    /// The combination `Σ weights[i]·eᵢ` of the constraint expressions (weights ≥ 0 for
    /// inequalities, any sign for equalities) has sound minimum > 0, yet every unsafe point
    /// would make it ≤ 0.
    case combination(weights: [Double])

    public var description: String {
        switch self {
        case .emptyInputRegion: "empty input region"
        case .emptySubRegion: "fixed phases contradict the bounds"
        case let .constraint(index): "constraint \(index) unreachable"
        case let .combination(weights): "combination \(weights.map { "\($0)" }.joined(separator: ", ")) of the constraints is positive"
        }
    }
}
