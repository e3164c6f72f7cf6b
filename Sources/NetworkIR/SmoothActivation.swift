import Foundation

/// A smooth, increasing activation: the logistic sigmoid `σ(x) = 1/(1 + e^−x)` or `tanh`.
/// Unlike ReLU they have no exact rational encoding, so Certus bounds them (interval images and
/// linear relaxations, `Bounds.SmoothRelaxation`) and never claims an exact encoding of them.
///
/// Both are convex for `x < 0` and concave for `x > 0`, and odd about their value at 0:
/// `f(−x) = reflection − f(x)` (`σ(−x) = 1 − σ(x)`, `tanh(−x) = −tanh(x)`).
public enum SmoothActivation: String, Sendable, Equatable, CaseIterable {
    case sigmoid
    case tanh

    /// A bound on `|value(x) − f(x)|` for every double `x`, where `f` is the exact function.
    ///
    /// libm's `exp` and `tanh` are not correctly rounded: glibc documents errors of at most
    /// 1–2 ulps for them. `value` adds at most two correctly rounded operations (sigmoid: a sum
    /// and a quotient), so its relative error stays below 4 ulps, `8.9e-16`, on results of
    /// magnitude at most 1. The bound used is `1e-15`; every sound bound built on `value`
    /// widens by it.
    public static let valueError = 1e-15

    /// A bound on `|derivative(x) − f′(x)|`: `f′` is computed from the value (`s·(1 − s)` or
    /// `1 − t²`), so its error is at most `2·valueError` from the value plus two roundings.
    public static let derivativeError = 3e-15

    /// `f(−x) = reflection − f(x)`: 1 for the sigmoid, 0 for tanh.
    public var reflection: Double {
        switch self {
        case .sigmoid: 1
        case .tanh: 0
        }
    }

    /// The closed hull of the function's range.
    public var range: ClosedRange<Double> {
        switch self {
        case .sigmoid: 0...1
        case .tanh: -1...1
        }
    }

    /// The largest slope, `f′(0)`.
    public var maximumSlope: Double {
        switch self {
        case .sigmoid: 0.25
        case .tanh: 1
        }
    }

    /// The function in double precision (within `valueError` of the exact value). The sigmoid
    /// uses `e^x/(1 + e^x)` for negative `x`, so `exp` never overflows.
    public func value(_ x: Double) -> Double {
        switch self {
        case .sigmoid:
            if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
            let e = Foundation.exp(x)
            return e / (1 + e)
        case .tanh:
            return Foundation.tanh(x)
        }
    }

    /// The function in single precision, as an ONNX runtime computes it (to a few ulps).
    public func value(_ x: Float) -> Float {
        switch self {
        case .sigmoid:
            if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
            let e = Foundation.exp(x)
            return e / (1 + e)
        case .tanh:
            return Foundation.tanh(x)
        }
    }

    /// A sound enclosure of `f([l, u])`: `f` increases, so the image is `[f(l), f(u)]`, widened
    /// by `valueError`, rounded outward and clipped to the range.
    public func image(lower l: Double, upper u: Double) -> (lower: Double, upper: Double) {
        let low = (value(l) - Self.valueError).nextDown
        let high = (value(u) + Self.valueError).nextUp
        return (max(range.lowerBound, low.isNaN ? -.infinity : low), min(range.upperBound, high.isNaN ? .infinity : high))
    }

    /// `f′(x)`, from the value: `σ(1 − σ)` or `1 − tanh²` (within `derivativeError`).
    public func derivative(_ x: Double) -> Double {
        let y = value(x)
        switch self {
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        }
    }

    /// The `x ≤ 0` at which `f′(x) = slope`, for `0 < slope < maximumSlope` (the convex part is
    /// where the derivative increases): an approximation; callers must not rely on its accuracy.
    public func convexPoint(withSlope slope: Double) -> Double {
        switch self {
        case .sigmoid:
            // σ(1 − σ) = a with σ ≤ 1/2: σ = (1 − √(1 − 4a))/2, x = log(σ/(1 − σ)).
            let s = (1 - (1 - 4 * slope).squareRoot()) / 2
            return Foundation.log(s / (1 - s))
        case .tanh:
            // 1 − t² = a with t ≤ 0: t = −√(1 − a), x = atanh(t).
            return Foundation.atanh(-(1 - slope).squareRoot())
        }
    }
}
