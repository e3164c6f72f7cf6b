/// Convenience constructors that keep formulas small and flat.
extension Formula {
    /// The conjunction of `parts`, flattened: nested `and`s are spliced in, `true` is dropped,
    /// and any `false` makes the whole conjunction `false`. One remaining part is returned as is.
    /// - Complexity: O(total size of the nested `and`s).
    public static func conjunction(_ parts: [Formula]) -> Formula {
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
            switch part {
            case .constant(true): continue
            case .constant(false): return .constant(false)
            case .and(let inner):
                stack.append(pending)
                pending = inner[...]
            default: flat.append(part)
            }
        }
        switch flat.count {
        case 0: return .constant(true)
        case 1: return flat[0]
        default: return .and(flat)
        }
    }

    /// The disjunction of `parts`, flattened: nested `or`s are spliced in, `false` is dropped,
    /// and any `true` makes the whole disjunction `true`. One remaining part is returned as is.
    /// - Complexity: O(total size of the nested `or`s).
    public static func disjunction(_ parts: [Formula]) -> Formula {
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
            switch part {
            case .constant(false): continue
            case .constant(true): return .constant(true)
            case .or(let inner):
                stack.append(pending)
                pending = inner[...]
            default: flat.append(part)
            }
        }
        switch flat.count {
        case 0: return .constant(false)
        case 1: return flat[0]
        default: return .or(flat)
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
