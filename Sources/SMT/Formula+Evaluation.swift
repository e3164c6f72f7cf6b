import ExactArithmetic

/// Exact evaluation under a model, to confirm a solver's `sat` model without trusting it.
extension Formula {
    /// Whether the formula holds when variable `i` has value `model[i]`, evaluated exactly with
    /// left-to-right short-circuiting of `and`/`or`; nil when evaluation reaches a variable the
    /// model does not cover.
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
