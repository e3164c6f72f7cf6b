/// Convenience constructors that keep formulas small and flat.
extension Formula {
    /// The conjunction of `parts`, flattened: nested `and`s are spliced in, `true` is dropped,
    /// and any `false` makes the whole conjunction `false`. One remaining part is returned as is.
    /// - Complexity: O(total size of the nested `and`s).
    public static func conjunction(_ parts: [Formula]) -> Formula {
        flattened(parts, neutral: true, build: Formula.and) { if case let .and(inner) = $0 { inner } else { nil } }
    }

    /// The disjunction of `parts`, flattened: nested `or`s are spliced in, `false` is dropped,
    /// and any `true` makes the whole disjunction `true`. One remaining part is returned as is.
    /// - Complexity: O(total size of the nested `or`s).
    public static func disjunction(_ parts: [Formula]) -> Formula {
        flattened(parts, neutral: false, build: Formula.or) { if case let .or(inner) = $0 { inner } else { nil } }
    }

    /// The shared flattening of `conjunction` and `disjunction`: `neutral` is the operator's
    /// identity (dropped), its negation absorbs everything, and `inner` opens a nested formula
    /// of the same operator. Iterative, so deep nesting cannot overflow the stack.
    private static func flattened(_ parts: [Formula], neutral: Bool, build: ([Formula]) -> Formula,
                                  inner: (Formula) -> [Formula]?) -> Formula {
        var flat: [Formula] = []
        flat.reserveCapacity(parts.count)
        var pending = parts[...]
        var stack: [ArraySlice<Formula>] = []
        while true {
            guard let part = pending.popFirst() else {
                guard let next = stack.popLast() else { break }
                pending = next
                continue
            }
            if case let .constant(value) = part {
                if value == neutral { continue }
                return .constant(value)
            }
            if let nested = inner(part) {
                stack.append(pending)
                pending = nested[...]
            } else {
                flat.append(part)
            }
        }
        switch flat.count {
        case 0: return .constant(neutral)
        case 1: return flat[0]
        default: return build(flat)
        }
    }

    /// `left <= right`.
    public static func lessOrEqual(_ left: Term, _ right: Term) -> Formula { .compare(left, .lessOrEqual, right) }
    /// `left < right`.
    public static func less(_ left: Term, _ right: Term) -> Formula { .compare(left, .less, right) }
    /// `left = right`.
    public static func equal(_ left: Term, _ right: Term) -> Formula { .compare(left, .equal, right) }
    /// `left >= right`.
    public static func greaterOrEqual(_ left: Term, _ right: Term) -> Formula { .compare(left, .greaterOrEqual, right) }
    /// `left > right`.
    public static func greater(_ left: Term, _ right: Term) -> Formula { .compare(left, .greater, right) }
}
