import VNNLIB

/// The input region of one specification case as doubles: the exact box shrunk to the doubles
/// it contains (so every projected point lies in the exact box), plus finite sampling ranges.
///
/// A side whose exact interval holds no double (a fixed input at a decimal such as `0.1`) is
/// fixed at the double nearest to it instead, so that such boxes can still be searched; a
/// point found there is a counterexample only if `CounterexampleCheck` shows by interval
/// arithmetic that the whole gap violates the property.
///
/// Unbounded sides cannot be sampled uniformly; a side without a bound is given a finite
/// sampling range instead (`u − max(1, |u|)` below an upper bound `u`, symmetrically above a
/// lower bound, `[−1, 1]` with no bound at all). Projection never clamps an unbounded side.
public struct CaseRegion: Sendable {
    /// The index of the case in its specification.
    public let caseIndex: Int
    /// The smallest double at or above each exact lower bound (`−∞` where unbounded; the
    /// nearest double on a side that holds none).
    public let lower: [Double]
    /// The largest double at or below each exact upper bound (`+∞` where unbounded; the
    /// nearest double on a side that holds none).
    public let upper: [Double]
    /// Finite lower ends for sampling.
    public let sampleLower: [Double]
    /// Finite upper ends for sampling.
    public let sampleUpper: [Double]
    /// Whether the case has linear input constraints beyond its box (then points must be
    /// checked against them exactly).
    public let hasInputConstraints: Bool

    /// Derives the region of `specificationCase`.
    public init(_ specificationCase: SpecificationCase, caseIndex: Int) {
        self.caseIndex = caseIndex
        let box = specificationCase.box
        let gaps = box.gapDoubles
        lower = box.lower.indices.map { gaps[$0] ?? box.lower[$0]?.toDouble(rounding: .up) ?? -.infinity }
        upper = box.upper.indices.map { gaps[$0] ?? box.upper[$0]?.toDouble(rounding: .down) ?? .infinity }
        var sLower: [Double] = []
        var sUpper: [Double] = []
        for i in 0..<box.count {
            let l = lower[i], u = upper[i]
            switch (l.isFinite, u.isFinite) {
            case (true, true): sLower.append(l); sUpper.append(u)
            case (true, false): sLower.append(l); sUpper.append(l + max(1, abs(l)))
            case (false, true): sLower.append(u - max(1, abs(u))); sUpper.append(u)
            case (false, false): sLower.append(-1); sUpper.append(1)
            }
        }
        sampleLower = sLower
        sampleUpper = sUpper
        hasInputConstraints = !specificationCase.inputConstraints.isEmpty
    }

    /// The number of inputs.
    public var count: Int { lower.count }

    /// True when the exact box is empty on some side.
    public var isEmpty: Bool { zip(lower, upper).contains { !($0 <= $1) } }

    /// The centre of the sampling range.
    public var centre: [Double] { zip(sampleLower, sampleUpper).map { $0 + ($1 - $0) / 2 } }

    /// The width of the sampling range per input (0 for a fixed input).
    public var widths: [Double] { zip(sampleLower, sampleUpper).map { $1 - $0 } }

    /// The nearest point of the (double) box; NaN entries go to the centre of their range.
    public func project(_ x: [Double]) -> [Double] {
        var y = x
        for i in y.indices {
            if y[i].isNaN { y[i] = sampleLower[i] + (sampleUpper[i] - sampleLower[i]) / 2 }
            if y[i] < lower[i] { y[i] = lower[i] }
            if y[i] > upper[i] { y[i] = upper[i] }
        }
        return y
    }

    /// Whether `x` lies in the double box (hence in the exact box, up to its gaps).
    public func contains(_ x: [Double]) -> Bool {
        x.count == count && x.indices.allSatisfy { lower[$0] <= x[$0] && x[$0] <= upper[$0] }
    }
}
