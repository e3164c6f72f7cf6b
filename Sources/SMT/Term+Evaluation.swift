import ExactArithmetic

/// Exact evaluation under a model, to confirm a solver's `sat` model without trusting it.
extension Term {
    /// The exact value of the term when variable `i` has value `model[i]`, or nil when
    /// evaluation reaches a variable the model does not cover.
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
