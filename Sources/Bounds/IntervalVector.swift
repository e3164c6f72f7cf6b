/// A box: one closed interval `[lower[i], upper[i]]` per coordinate.
///
/// Bounds computed by this module are sound for the real-valued network: every value the exact
/// network can take lies inside. Infinite ends mean unbounded; NaN never appears (constructors
/// replace a NaN end by the infinity on its side, so a NaN can never look like a proof).
public struct IntervalVector: Sendable, Equatable {
    /// The lower ends.
    public private(set) var lower: [Double]
    /// The upper ends.
    public private(set) var upper: [Double]

    /// Creates a box from its ends; a NaN lower end becomes −∞ and a NaN upper end +∞.
    /// - Precondition: `lower.count == upper.count`.
    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "interval ends differ in length: \(lower.count) and \(upper.count)")
        self.lower = lower.map { $0.isNaN ? -.infinity : $0 }
        self.upper = upper.map { $0.isNaN ? .infinity : $0 }
    }

    /// The box holding the single point `point`.
    public init(point: [Double]) { self.init(lower: point, upper: point) }

    /// The number of coordinates.
    public var count: Int { lower.count }

    /// The interval of coordinate `i`.
    public subscript(i: Int) -> ClosedRange<Double> {
        // A well-formed box has lower <= upper; an empty interval is reported as its lower end.
        lower[i] <= upper[i] ? lower[i]...upper[i] : lower[i]...lower[i]
    }

    /// True when every end is finite.
    public var isFinite: Bool { lower.allSatisfy(\.isFinite) && upper.allSatisfy(\.isFinite) }

    /// True when some coordinate has `lower > upper`.
    public var isEmpty: Bool { zip(lower, upper).contains { $0 > $1 } }

    /// Whether `point` lies in the box (ends included).
    public func contains(_ point: [Double]) -> Bool {
        guard point.count == count else { return false }
        for i in 0..<count where !(lower[i] <= point[i] && point[i] <= upper[i]) { return false }
        return true
    }

    /// `max(|lower[i]|, |upper[i]|)` for every coordinate: the largest magnitude in the box.
    public var magnitudes: [Double] { zip(lower, upper).map { max(abs($0), abs($1)) } }

    /// Sets coordinate `i` to `[lower, upper]` (NaN ends are widened as in `init`).
    public mutating func set(_ i: Int, lower l: Double, upper u: Double) {
        lower[i] = l.isNaN ? -.infinity : l
        upper[i] = u.isNaN ? .infinity : u
    }

    /// Shrinks coordinate `i` to its intersection with `[l, u]`.
    public mutating func tighten(_ i: Int, lower l: Double, upper u: Double) {
        if l > lower[i] { lower[i] = l }
        if u < upper[i] { upper[i] = u }
    }

    /// The coordinate-wise intersection with `other` (both must be sound for the same set).
    /// - Precondition: equal counts.
    public func intersection(_ other: IntervalVector) -> IntervalVector {
        precondition(other.count == count, "intersecting boxes of \(count) and \(other.count) coordinates")
        var result = self
        for i in 0..<count { result.tighten(i, lower: other.lower[i], upper: other.upper[i]) }
        return result
    }
}
