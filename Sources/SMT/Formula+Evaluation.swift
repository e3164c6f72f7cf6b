import ExactArithmetic

/// Exact evaluation under a model, to confirm a solver's `sat` model without trusting it.
extension Term {
    /// The exact value of the term when variable `i` has value `model[i]`, or nil when the
    /// term mentions a variable the model does not cover.
    /// - Complexity: O(size of the term).
    public func value(in model: [Rational]) -> Rational? {
        switch self {
        case .variable(let v):
            return model.indices.contains(v.id) ? model[v.id] : nil
        case .constant(let c):
            return c
        case .linear(let entries, let constant):
            var total = constant
            for entry in entries {
                guard model.indices.contains(entry.variable.id) else { return nil }
                total += entry.coefficient * model[entry.variable.id]
            }
            return total
        case .sum(let terms):
            var total = Rational.zero
            for t in terms {
                guard let v = t.value(in: model) else { return nil }
                total += v
            }
            return total
        case .scaled(let factor, let t):
            return t.value(in: model).map { factor * $0 }
        case .ite(let condition, let a, let b):
            guard let holds = condition.isSatisfied(by: model) else { return nil }
            return holds ? a.value(in: model) : b.value(in: model)
        }
    }
}

extension Formula {
    /// Whether the formula holds when variable `i` has value `model[i]`, evaluated exactly; nil
    /// when it mentions a variable the model does not cover.
    /// - Complexity: O(size of the formula).
    public func isSatisfied(by model: [Rational]) -> Bool? {
        switch self {
        case .constant(let b):
            return b
        case .compare(let left, let op, let right):
            guard let l = left.value(in: model), let r = right.value(in: model) else { return nil }
            switch op {
            case .lessOrEqual: return l <= r
            case .less: return l < r
            case .equal: return l == r
            case .greaterOrEqual: return l >= r
            case .greater: return l > r
            }
        case .and(let parts):
            for p in parts {
                guard let holds = p.isSatisfied(by: model) else { return nil }
                if !holds { return false }
            }
            return true
        case .or(let parts):
            for p in parts {
                guard let holds = p.isSatisfied(by: model) else { return nil }
                if holds { return true }
            }
            return false
        case .not(let inner):
            return inner.isSatisfied(by: model).map { !$0 }
        }
    }
}
