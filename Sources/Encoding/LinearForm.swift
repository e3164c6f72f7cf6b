import ExactArithmetic
import SMT

/// An exact linear combination of solver variables plus a constant: the symbolic value of one
/// neuron while a network is being encoded. Stable ReLUs and division layers transform forms
/// without declaring new variables.
public struct LinearForm: Sendable, Hashable {
    /// Coefficients by variable; never holds a zero coefficient.
    public private(set) var coefficients: [RealVariable: Rational]
    /// The constant term.
    public private(set) var constant: Rational

    public init(coefficients: [RealVariable: Rational] = [:], constant: Rational = .zero) {
        self.coefficients = coefficients.filter { !$0.value.isZero }
        self.constant = constant
    }

    /// The form `1·variable`.
    public init(_ variable: RealVariable) { self.init(coefficients: [variable: .one]) }

    /// The constant form `value`.
    public static func constant(_ value: Rational) -> LinearForm { LinearForm(constant: value) }

    /// The single variable this form equals, if it is exactly `1·v + 0`.
    public var singleVariable: RealVariable? {
        guard constant.isZero, coefficients.count == 1, let (v, c) = coefficients.first, c == .one else { return nil }
        return v
    }

    /// True when no variable occurs.
    public var isConstant: Bool { coefficients.isEmpty }

    /// Adds `factor · other` to this form, exactly.
    public mutating func add(_ other: LinearForm, times factor: Rational) {
        guard !factor.isZero else { return }
        for (v, c) in other.coefficients {
            let sum = (coefficients[v] ?? .zero) + c * factor
            coefficients[v] = sum.isZero ? nil : sum
        }
        constant += other.constant * factor
    }

    /// This form multiplied by `factor`.
    public func scaled(by factor: Rational) -> LinearForm {
        guard !factor.isZero else { return .constant(.zero) }
        return LinearForm(coefficients: coefficients.mapValues { $0 * factor }, constant: constant * factor)
    }

    /// The form as an SMT term (entries in variable order, so output is deterministic).
    public var term: Term {
        if coefficients.isEmpty { return .constant(constant) }
        if let v = singleVariable { return .variable(v) }
        let entries = coefficients.sorted { $0.key < $1.key }.map { LinearTermEntry($0.key, $0.value) }
        return .linear(coefficients: entries, constant: constant)
    }
}
