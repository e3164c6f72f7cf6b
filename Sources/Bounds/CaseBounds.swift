/// The outcome of bounding one specification case with one method.
public struct CaseBounds: Sendable {
    /// The method used.
    public var method: BoundsMethod
    /// Why the case's unsafe set is unreachable, or nil when the method could not show it.
    public var proof: BoundsProof?
    /// Sound bounds of every network output over the case's region.
    public var outputs: IntervalVector
    /// Sound bounds of every constraint expression (input constraints first).
    public var constraints: [ConstraintBound]
    /// Bounds of every layer (for the encoder: stable ReLUs, big-M constants).
    public var networkBounds: NetworkBounds
    /// Unstable ReLUs per ReLU layer.
    public var unstableCounts: [Int]
    /// Wall-clock seconds spent by this method, excluding work reused from an earlier method of
    /// the same `BoundsAnalyzer.analyze` call.
    public var seconds: Double
    /// Traces of the Lagrangian optimisations, when requested (the output-bound traces, shared
    /// by the cases of one input box, are attached to the first of them).
    public var traces: [DualTrace]

    /// True when the method proved the case unreachable.
    public var isProved: Bool { proof != nil }

    /// Creates a result.
    public init(method: BoundsMethod, proof: BoundsProof?, outputs: IntervalVector, constraints: [ConstraintBound],
                networkBounds: NetworkBounds, unstableCounts: [Int], seconds: Double, traces: [DualTrace] = []) {
        self.method = method
        self.proof = proof
        self.outputs = outputs
        self.constraints = constraints
        self.networkBounds = networkBounds
        self.unstableCounts = unstableCounts
        self.seconds = seconds
        self.traces = traces
    }
}

/// The iterations of one Lagrangian optimisation, labelled by its objective.
public struct DualTrace: Sendable, Equatable {
    /// What was bounded, e.g. `"constraint 2 lower"` or `"Y_0 upper"`.
    public var label: String
    /// One entry per iteration; `best` never decreases.
    public var entries: [LagrangianDual.TraceEntry]

    /// Creates a trace.
    public init(label: String, entries: [LagrangianDual.TraceEntry]) {
        self.label = label
        self.entries = entries
    }
}
