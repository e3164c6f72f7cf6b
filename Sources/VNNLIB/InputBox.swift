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
    /// The number of inputs the box lets vary (lower below upper, or a side unbounded).
    public var freeCount: Int {
        zip(lower, upper).reduce(0) { count, bounds in
            if let l = bounds.0, let u = bounds.1, l >= u { count } else { count + 1 }
        }
    }

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

// MARK: - Sides that hold no double

extension InputBox {
    /// Per input, the double a point takes where the exact interval `[l, u]` holds no double
    /// (a fixed input such as `0.1`, stored as a decimal): the double nearest to `l`. Nil
    /// where the interval holds a double or is unbounded.
    ///
    /// Such a box contains no double point at all, so a counterexample cannot be stated in
    /// doubles exactly; `CounterexampleCheck` accepts the nearest double on these sides only
    /// when interval arithmetic shows that the property is violated on the whole gap.
    public var gapDoubles: [Double?] {
        (0..<count).map { i in
            guard let l = lower[i], let u = upper[i], l <= u else { return nil }
            let inside = l.toDouble(rounding: .up)
            guard inside.isFinite, u.toDouble(rounding: .down).isFinite else { return nil }
            if let exactly = Rational(exactly: inside), exactly <= u { return nil }
            return l.toDouble()
        }
    }

    /// Whether every coordinate of `point` lies in the exact interval or, where that interval
    /// holds no double, is one of the two doubles enclosing it.
    public func containsUpToGaps(_ point: [Double]) -> Bool {
        guard point.count == count else { return false }
        let gaps = gapDoubles
        for i in 0..<count {
            if gaps[i] != nil, let l = lower[i], let u = upper[i] {
                guard point[i] == l.toDouble(rounding: .down) || point[i] == u.toDouble(rounding: .up) else { return false }
                continue
            }
            guard let p = Rational(exactly: point[i]) else { return false }
            if let l = lower[i], p < l { return false }
            if let u = upper[i], p > u { return false }
        }
        return true
    }

    /// The double box around `point` that also covers every gap of the exact box: on gap
    /// sides the enclosing doubles `[l rounded down, u rounded up]`, elsewhere the point.
    public func gapCell(around point: [Double]) -> (lower: [Double], upper: [Double]) {
        var lo = point, hi = point
        for (i, gap) in gapDoubles.enumerated() where gap != nil {
            if let l = lower[i], let u = upper[i] {
                lo[i] = min(point[i], l.toDouble(rounding: .down))
                hi[i] = max(point[i], u.toDouble(rounding: .up))
            }
        }
        return (lo, hi)
    }
}
