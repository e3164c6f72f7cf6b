import ExactArithmetic

/// An exact linear expression `Σ cᵢ·vᵢ + constant` over VNN-LIB variables.
public struct LinearExpression: Sendable, Hashable, CustomStringConvertible {
    /// The non-zero coefficients, sorted by variable (inputs first).
    public private(set) var terms: [(variable: Variable, coefficient: Rational)]
    /// The constant term.
    public var constant: Rational

    /// Creates an expression; merges repeated variables and drops zero coefficients.
    public init(terms: [(Variable, Rational)] = [], constant: Rational = .zero) {
        var merged: [Variable: Rational] = [:]
        for (v, c) in terms { merged[v, default: .zero] += c }
        self.terms = merged.filter { !$0.value.isZero }.sorted { $0.key < $1.key }.map { (variable: $0.key, coefficient: $0.value) }
        self.constant = constant
    }

    /// The expression `1·variable`.
    public init(_ variable: Variable) { self.init(terms: [(variable, .one)]) }

    /// The constant expression `value`.
    public init(constant value: Rational) { self.init(terms: [], constant: value) }

    public static func + (a: LinearExpression, b: LinearExpression) -> LinearExpression {
        LinearExpression(terms: a.terms.map { ($0.variable, $0.coefficient) } + b.terms.map { ($0.variable, $0.coefficient) },
                         constant: a.constant + b.constant)
    }
    public static prefix func - (a: LinearExpression) -> LinearExpression { a.scaled(by: Rational(-1)) }
    public static func - (a: LinearExpression, b: LinearExpression) -> LinearExpression { a + (-b) }

    /// The expression multiplied by `factor`.
    public func scaled(by factor: Rational) -> LinearExpression {
        LinearExpression(terms: terms.map { ($0.variable, $0.coefficient * factor) }, constant: constant * factor)
    }

    /// True when no variable occurs.
    public var isConstant: Bool { terms.isEmpty }
    /// True when every variable is an input.
    public var mentionsOnlyInputs: Bool { terms.allSatisfy { $0.variable.isInput } }
    /// True when every variable is an output.
    public var mentionsOnlyOutputs: Bool { terms.allSatisfy { !$0.variable.isInput } }

    /// Exact value at a point given as doubles (each double taken at its exact value).
    /// Returns nil if a needed value is missing or not finite.
    public func exactValue(inputs: [Double], outputs: [Double]) -> Rational? {
        var sum = constant
        for (v, c) in terms {
            let value: Double
            switch v {
            case let .input(i): guard i < inputs.count else { return nil }; value = inputs[i]
            case let .output(j): guard j < outputs.count else { return nil }; value = outputs[j]
            }
            guard let r = Rational(exactly: value) else { return nil }
            sum += c * r
        }
        return sum
    }

    /// Value at a point in double precision (round to nearest; for margins and search only).
    public func value(inputs: [Double], outputs: [Double]) -> Double {
        var sum = constant.toDouble()
        for (v, c) in terms {
            switch v {
            case let .input(i): sum += c.toDouble() * inputs[i]
            case let .output(j): sum += c.toDouble() * outputs[j]
            }
        }
        return sum
    }

    public static func == (a: LinearExpression, b: LinearExpression) -> Bool {
        a.constant == b.constant && a.terms.count == b.terms.count
            && zip(a.terms, b.terms).allSatisfy { $0.variable == $1.variable && $0.coefficient == $1.coefficient }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(constant)
        for (v, c) in terms { hasher.combine(v); hasher.combine(c) }
    }

    public var description: String {
        var parts = terms.map { "\($0.coefficient)*\($0.variable)" }
        if !constant.isZero || parts.isEmpty { parts.append(constant.description) }
        return parts.joined(separator: " + ")
    }
}
