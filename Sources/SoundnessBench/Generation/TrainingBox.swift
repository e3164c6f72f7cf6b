/// One property box of a network being trained: the label must win on the whole box, except,
/// for a box with a planted point, at that point, which must go to `target`.
public struct TrainingBox: Sendable, Equatable {
    /// Lower corner.
    public var lower: [Double]
    /// Upper corner.
    public var upper: [Double]
    /// The class the property protects.
    public var label: Int
    /// The planted counterexample, if any.
    public var planted: [Double]?
    /// The class the planted point must reach.
    public var target: Int?
    /// The L∞ radius around the planted point left free of the robustness objective: the
    /// pocket the training may carve. Outside it the label must win.
    public var zoneRadius: Double

    public init(lower: [Double], upper: [Double], label: Int, planted: [Double]? = nil, target: Int? = nil,
                zoneRadius: Double = 0) {
        self.lower = lower
        self.upper = upper
        self.label = label
        self.planted = planted
        self.target = target
        self.zoneRadius = zoneRadius
    }

    /// Whether `x` lies in the free zone around the planted point.
    public func isInZone(_ x: [Double]) -> Bool {
        guard let planted else { return false }
        return zip(x, planted).allSatisfy { abs($0 - $1) < zoneRadius }
    }
}
