/// Options of `BoundsAnalyzer`.
public struct BoundsOptions: Sendable, Equatable {
    /// α-optimisation steps for the constraint objectives the linear method could not prove
    /// (0: CROWN's adaptive slopes only).
    public var slopeIterations: Int
    /// Lagrangian iterations per objective.
    public var lagrangianIterations: Int
    /// A deadline for the optimisation loops (α and Lagrangian); interval and plain linear
    /// bounds always finish.
    public var deadline: ContinuousClock.Instant?
    /// Also optimise bounds that cannot prove anything (output bounds and upper slack bounds)
    /// with α and the dual: tighter reports, more time. The CLI turns it on; the verifier need not.
    public var tightenReportedBounds: Bool
    /// Whether Lagrangian traces are recorded.
    public var recordTraces: Bool
    /// Whether to try a nonnegative combination of the constraints when none is unreachable alone.
    public var combineConstraints: Bool

    /// Creates options.
    public init(slopeIterations: Int = 20, lagrangianIterations: Int = 100, deadline: ContinuousClock.Instant? = nil,
                tightenReportedBounds: Bool = false, recordTraces: Bool = false, combineConstraints: Bool = true) {
        self.slopeIterations = slopeIterations
        self.lagrangianIterations = lagrangianIterations
        self.deadline = deadline
        self.tightenReportedBounds = tightenReportedBounds
        self.recordTraces = recordTraces
        self.combineConstraints = combineConstraints
    }
}
