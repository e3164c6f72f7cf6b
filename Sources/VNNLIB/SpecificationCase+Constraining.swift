import ExactArithmetic

extension SpecificationCase {
    /// Adds one atom: a bound tightens the box (keeping the tighter of old and new), other
    /// constraints are appended.
    /// - Returns: false when the box has become empty, so the case can be dropped.
    mutating func constrain(with atom: Atom) -> Bool {
        switch atom {
        case let .inputBound(index, bound, side, strict):
            if side != .upper, box.lower[index].map({ bound > $0 }) ?? true { box.lower[index] = bound }
            if side != .lower, box.upper[index].map({ bound < $0 }) ?? true { box.upper[index] = bound }
            if strict { inputConstraints.append(Atom.strictConstraint(index: index, bound: bound, side: side)) }
            if let l = box.lower[index], let u = box.upper[index], l > u { return false }
        case let .inputConstraint(constraint):
            inputConstraints.append(constraint)
        case let .outputConstraint(constraint):
            outputConstraints.append(constraint)
        }
        return true
    }
}

extension SpecificationCase {
    /// The memory this case holds on its own, estimated from its shape, for the expansion's
    /// memory cap: the value itself, one element per constraint in its (copied) arrays, and the
    /// box's two arrays when `countingBox` (a box only written by an earlier case is shared
    /// copy-on-write and costs nothing more). Each constraint's coefficients are shared with
    /// the formula's atom, so they are not counted. Every case costs at least the value and
    /// its array headers, so the cap also bounds the number of cases, and with it the time.
    func estimatedBytes(countingBox: Bool) -> Int {
        let arrayHeader = 32
        var bytes = MemoryLayout<SpecificationCase>.stride + 2 * arrayHeader
            + (inputConstraints.count + outputConstraints.count) * MemoryLayout<LinearConstraint>.stride
        if countingBox { bytes += 2 * (arrayHeader + box.count * MemoryLayout<Rational?>.stride) }
        return bytes
    }
}
