import ExactArithmetic

/// Per-input lower and upper bounds, exact. `nil` means unbounded on that side.
///
/// A strict single-variable bound (`X_0 < 0.5`) appears here as the closed bound (a sound
/// enclosure for bounding) and again as a strict `LinearConstraint` in the case's input
/// constraints, so exact methods keep the strictness.
public struct InputBox: Sendable, Hashable {
    public var lower: [Rational?]
    public var upper: [Rational?]

    public init(lower: [Rational?], upper: [Rational?]) {
        precondition(lower.count == upper.count, "box sides differ in length")
        self.lower = lower
        self.upper = upper
    }

    /// An unbounded box over `count` inputs.
    public init(unboundedOver count: Int) {
        self.init(lower: Array(repeating: nil, count: count), upper: Array(repeating: nil, count: count))
    }

    public var count: Int { lower.count }

    /// True when every input has both bounds.
    public var isBounded: Bool { lower.allSatisfy { $0 != nil } && upper.allSatisfy { $0 != nil } }

    /// True when some lower bound exceeds its upper bound (the region is empty).
    public var isEmpty: Bool {
        zip(lower, upper).contains { l, u in
            if let l, let u { return l > u }
            return false
        }
    }

    /// Lower bounds as doubles rounded down (−∞ where unbounded): encloses the exact box.
    public var lowerDoubles: [Double] { lower.map { $0?.toDouble(rounding: .down) ?? -.infinity } }
    /// Upper bounds as doubles rounded up (+∞ where unbounded): encloses the exact box.
    public var upperDoubles: [Double] { upper.map { $0?.toDouble(rounding: .up) ?? .infinity } }

    /// Whether the point lies in the exact box.
    public func containsExactly(_ point: [Double]) -> Bool {
        guard point.count == count else { return false }
        for i in 0..<count {
            guard let p = Rational(exactly: point[i]) else { return false }
            if let l = lower[i], p < l { return false }
            if let u = upper[i], p > u { return false }
        }
        return true
    }
}
