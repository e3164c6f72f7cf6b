extension SpecificationCase {
    /// Adds one atom: a bound tightens the box (keeping the tighter of old and new), other
    /// constraints are appended.
    /// - Returns: false when the box has become empty, so the case can be dropped.
    mutating func constrain(with atom: Atom) -> Bool {
        switch atom {
        case let .inputBound(index, lower, upper, strict):
            if let lower, box.lower[index].map({ lower > $0 }) ?? true { box.lower[index] = lower }
            if let upper, box.upper[index].map({ upper < $0 }) ?? true { box.upper[index] = upper }
            if let strict { inputConstraints.append(strict) }
            if let l = box.lower[index], let u = box.upper[index], l > u { return false }
        case let .inputConstraint(constraint):
            inputConstraints.append(constraint)
        case let .outputConstraint(constraint):
            outputConstraints.append(constraint)
        }
        return true
    }
}
