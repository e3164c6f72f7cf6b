/// The grid of points reachable by ladders of atomic manipulations (Huang, Kwiatkowska, Wang,
/// Wu 2017, "Safety Verification of Deep Neural Networks": manipulations and ladders).
///
/// A manipulation moves each chosen dimension `p` by `−s_p`, `0` or `+s_p`; ladders of them
/// reach the points `base + Σ_p t_p·s_p·e_p` with `t_p ∈ [−m_p, m_p]`. Here the coordinates
/// of each chosen dimension are precomputed (`values[p]`, increasing, clamped into the region,
/// with the region's end points exact where the grid reaches them), so grid point `t` has
/// coordinate `values[p][t_p + m_p]` on dimension `dimensions[p]` and `base` elsewhere.
public struct ManipulationGrid: Sendable, Hashable {
    /// The layer whose output the grid lives in (nil: the network input).
    public let layer: Int?
    /// The vector whose unchosen entries every grid point keeps.
    public let base: [Double]
    /// The chosen dimensions, most salient first.
    public let dimensions: [Int]
    /// The span `s_p` of each chosen dimension.
    public let spans: [Double]
    /// The number of spans `m_p` each way of each chosen dimension.
    public let steps: [Int]
    /// The coordinates of each chosen dimension, increasing, `2·m_p + 1` of them.
    public let values: [[Double]]

    /// Creates a grid. - Precondition: the arrays agree in length and `values[p]` has
    /// `2·steps[p] + 1` increasing entries.
    public init(layer: Int?, base: [Double], dimensions: [Int], spans: [Double], steps: [Int], values: [[Double]]) {
        precondition(dimensions.count == spans.count && spans.count == steps.count && steps.count == values.count,
                     "grid arrays differ in length")
        precondition(zip(steps, values).allSatisfy { $0 >= 1 && $1.count == 2 * $0 + 1 }, "grid values do not match steps")
        self.layer = layer
        self.base = base
        self.dimensions = dimensions
        self.spans = spans
        self.steps = steps
        self.values = values
    }

    /// The number of grid points, `Π (2·m_p + 1)`, or nil when it exceeds `Int.max`.
    public var pointCount: Int? { Self.product(steps.map { 2 * $0 + 1 }) }

    /// The number of grid cells, `Π 2·m_p` (0 without chosen dimensions), or nil on overflow.
    public var cellCount: Int? { dimensions.isEmpty ? 0 : Self.product(steps.map { 2 * $0 }) }

    /// The point with index `t_p + m_p` = `offsets[p]` on each chosen dimension.
    public func point(_ offsets: [Int]) -> [Double] {
        var x = base
        for p in dimensions.indices { x[dimensions[p]] = values[p][offsets[p]] }
        return x
    }

    /// The product of `factors`, or nil on overflow.
    static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for f in factors {
            let (p, overflow) = result.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            result = p
        }
        return result
    }

    /// The coordinates `centre + t·span` for `t ∈ [−steps, steps]`, clamped into
    /// `[lower, upper]`, with the exact end points when the grid reaches or passes them.
    static func coordinates(centre: Double, span: Double, steps: Int, lower: Double, upper: Double) -> [Double] {
        (-steps...steps).map { t in
            if t == 0 { return min(max(centre, lower), upper) }
            let v = centre + Double(t) * span
            if t == -steps, v <= lower || abs(v - lower) <= 4 * lower.ulp { return lower }
            if t == steps, v >= upper || abs(v - upper) <= 4 * upper.ulp { return upper }
            return min(max(v, lower), upper)
        }
    }
}

extension ManipulationGrid {
    /// `a + b`, or nil on overflow.
    static func sum(_ a: Int, _ b: Int) -> Int? {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : s
    }
}
