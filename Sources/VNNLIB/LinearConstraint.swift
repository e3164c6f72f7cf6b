import ExactArithmetic

/// A linear constraint `expression ⋈ 0` with ⋈ one of `<=`, `<`, `=`.
///
/// The parser normalises `a >= b` to `b - a <= 0`, `a > b` to `b - a < 0`, and so on.
public struct LinearConstraint: Sendable, Hashable, CustomStringConvertible {
    /// The relation between the expression and zero.
    public enum Relation: Sendable, Hashable {
        case lessOrEqual, less, equal
    }

    public var expression: LinearExpression
    public var relation: Relation

    public init(_ expression: LinearExpression, _ relation: Relation) {
        self.expression = expression
        self.relation = relation
    }

    /// Whether the constraint holds exactly at the point (doubles taken at their exact values).
    public func holdsExactly(inputs: [Double], outputs: [Double]) -> Bool {
        guard let v = expression.exactValue(inputs: inputs, outputs: outputs) else { return false }
        switch relation {
        case .lessOrEqual: return v.signum <= 0
        case .less: return v.signum < 0
        case .equal: return v.isZero
        }
    }

    /// How far inside the constraint the point lies, in double precision: positive means
    /// satisfied with room to spare, negative means violated. For `=` it is `-|expression|`.
    public func margin(inputs: [Double], outputs: [Double]) -> Double {
        let v = expression.value(inputs: inputs, outputs: outputs)
        switch relation {
        case .lessOrEqual, .less: return -v
        case .equal: return -abs(v)
        }
    }

    public var description: String {
        let op: String
        switch relation {
        case .lessOrEqual: op = "<="
        case .less: op = "<"
        case .equal: op = "="
        }
        return "\(expression) \(op) 0"
    }
}
