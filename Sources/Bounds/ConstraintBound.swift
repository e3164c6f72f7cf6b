import VNNLIB

/// Sound bounds of one constraint expression `e` of a specification case (the constraint reads
/// `e ≤ 0`, `e < 0` or `e = 0`): its slack over the region.
public struct ConstraintBound: Sendable, Equatable {
    /// The index among the case's constraints (input constraints first, then output ones).
    public var index: Int
    /// The constraint.
    public var constraint: LinearConstraint
    /// A sound lower bound of `e` over the region.
    public var lower: Double
    /// A sound upper bound of `e` over the region.
    public var upper: Double

    /// Whether these bounds alone show that the constraint cannot hold anywhere in the region.
    public var isUnreachable: Bool {
        switch constraint.relation {
        case .lessOrEqual: lower > 0
        case .less: lower >= 0
        case .equal: lower > 0 || upper < 0
        }
    }

    /// Creates a constraint bound.
    public init(index: Int, constraint: LinearConstraint, lower: Double, upper: Double) {
        self.index = index
        self.constraint = constraint
        self.lower = lower
        self.upper = upper
    }
}
