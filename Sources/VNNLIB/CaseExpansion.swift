/// Expands a `PropertyFormula` into disjunctive normal form: the list of `SpecificationCase`s
/// whose union is the formula's set.
///
/// Distribution of ∧ over ∨ (Harrison, *Handbook of Practical Logic and Automated Reasoning*,
/// 2009, §2.6): `A ∧ (B ∨ C) = (A ∧ B) ∨ (A ∧ C)`. Rather than building the DNF of every
/// subformula and multiplying them out, the expansion threads a set of partial cases through
/// the formula: `extend(S, atom)` adds the atom to every case of `S`, `extend(S, F ∧ G) =
/// extend(extend(S, F), G)` and `extend(S, F ∨ G) = extend(S, F) ∪ extend(S, G)`. Within a
/// conjunction (looking through nested `and`s) all atoms are applied before any disjunction,
/// so the hundreds of box bounds of a typical file are applied once, to one case, and the
/// disjunction of output clauses then copies that case (its box shared, copy-on-write). Cases
/// whose box becomes empty are dropped at once, which prunes the product early. Cases come out
/// case-major: the cases that refine one earlier case (one input box, say) stay adjacent.
///
/// An explicit stack replaces recursion, and the memory the cases take is capped
/// (`SpecificationCase.estimatedBytes`), not their number: a file may honestly hold 120,000
/// one-input cases (a learned-index property), while a file crafted to multiply disjunctions
/// over a large box must stop early.
struct CaseExpansion {
    let formula: PropertyFormula
    let maximumBytes: Int
    /// The first case dropped for an empty box, as a sentence for the user (`X_0 must be at
    /// least 1 and at most 0 (p.vnnlib:4:9)`), so an `unsat` from an empty input region can
    /// say why.
    private(set) var firstContradiction: String?

    init(formula: PropertyFormula, maximumBytes: Int) {
        self.formula = formula
        self.maximumBytes = maximumBytes
    }

    /// One open conjunction or disjunction. Frames are mutated in place on the stack so their
    /// case arrays stay uniquely referenced (appending never copies them).
    private struct Frame {
        enum Kind { case conjunction, disjunction }
        var kind: Kind
        /// Conjunction: the disjunctions (node indices) still to apply, after its atoms.
        var ors: [Int] = []
        /// Disjunction: its node index and its disjuncts.
        var node = 0
        var disjuncts: [PropertyFormula.Reference] = []
        /// Conjunction: the disjunctions applied so far. Disjunction: the (case, disjunct) pairs
        /// started so far, counted case-major.
        var next = 0
        /// Conjunction: the current cases. Disjunction: the cases each disjunct extends.
        var cases: [SpecificationCase]
        /// Conjunction: the estimated bytes of `cases`.
        var bytes = 0
        /// Disjunction: the cases produced so far, and their estimated bytes.
        var accumulated: [SpecificationCase] = []
        var accumulatedBytes = 0
    }

    /// Cases with the memory they are estimated to take.
    private typealias Cases = (cases: [SpecificationCase], bytes: Int)

    /// What entering a subformula gives: its finished cases, or a frame still to run.
    private enum Entry {
        case done(Cases)
        case frame(Frame)
    }

    /// Why the property has no case (nil when `cases` is not empty), for `Specification`:
    /// the first contradictory input box, else the first constraint false for every input.
    /// `numbering` follows the contradiction, to say which inputs `X_i` names.
    func emptinessReason(of cases: [SpecificationCase], numbering: String = "") -> String? {
        guard cases.isEmpty else { return nil }
        if let contradiction = firstContradiction {
            return "every case of the property has an empty input region; the first: \(contradiction)\(numbering)"
        } else if let location = formula.firstFalseAtom {
            return "the constraint at \(location) is false for every input"
        }
        return "the assertions are false for every input"
    }

    /// The cases of `root` over `inputCount` inputs, in order, empty-box cases removed.
    /// - Throws: `VNNLIBError.tooManyCases` at the disjunction where the cases' estimated
    ///   memory passes the cap.
    /// - Complexity: O(size of the formula + size of the cases produced).
    mutating func cases(of root: PropertyFormula.Reference, inputCount: Int) throws -> [SpecificationCase] {
        let start = SpecificationCase(box: InputBox(unboundedOver: inputCount), outputConstraints: [])
        var frames: [Frame] = []
        // The result of the frame (or entry) that finished last, for the frame below it.
        var delivered: Cases?
        switch enter(root, [start]) {
        case let .done(result): return result.cases
        case let .frame(frame): frames.append(frame)
        }
        while !frames.isEmpty {
            let top = frames.count - 1
            switch frames[top].kind {
            case .conjunction:
                if let result = delivered {
                    (frames[top].cases, frames[top].bytes) = result
                    delivered = nil
                }
                let next = frames[top].next
                if frames[top].cases.isEmpty || next == frames[top].ors.count {
                    let finished = frames.removeLast()
                    delivered = (finished.cases, finished.bytes)
                    continue
                }
                frames[top].next += 1
                let node = frames[top].ors[next]
                guard case let .or(disjuncts) = formula.nodes[node] else { continue }
                frames.append(Frame(kind: .disjunction, node: node, disjuncts: disjuncts, cases: frames[top].cases))
            case .disjunction:
                if let result = delivered {
                    frames[top].accumulated += result.cases
                    frames[top].accumulatedBytes += result.bytes
                    delivered = nil
                    guard frames[top].accumulatedBytes <= maximumBytes else {
                        throw VNNLIBError.tooManyCases(formula.locations[frames[top].node], limitBytes: maximumBytes,
                                                       cases: frames[top].accumulated.count)
                    }
                }
                let next = frames[top].next, width = frames[top].disjuncts.count
                if next == frames[top].cases.count * width {
                    let finished = frames.removeLast()
                    delivered = (finished.accumulated, finished.accumulatedBytes)
                    continue
                }
                frames[top].next += 1
                // Case-major order: all disjuncts of the first input case, then the next case.
                let (i, j) = next.quotientAndRemainder(dividingBy: width)
                switch enter(frames[top].disjuncts[j], [frames[top].cases[i]]) {
                case let .done(cases): delivered = cases
                case let .frame(frame): frames.append(frame)
                }
            }
        }
        return delivered?.cases ?? []
    }

    /// Starts `extend(input, reference)`: collects the atoms and disjunctions of the conjunction
    /// (looking through nested `and`s), applies the atoms to every case, and returns a frame for
    /// the disjunctions if any remain.
    private mutating func enter(_ reference: PropertyFormula.Reference, _ input: [SpecificationCase]) -> Entry {
        var atoms: [(atom: Atom, node: Int)] = []
        var ors: [Int] = []
        var pending = [reference]
        while let r = pending.popLast() {
            switch r {
            case .constant(true):
                continue
            case .constant(false):
                return .done(([], 0))
            case let .node(index):
                switch formula.nodes[index] {
                case let .atom(atom): atoms.append((atom, index))
                case let .and(children): pending.append(contentsOf: children.reversed())
                case .or: ors.append(index)
                }
            }
        }
        var cases: [SpecificationCase] = []
        cases.reserveCapacity(input.count)
        // A bound on an input writes the case's box, which then stops sharing its parent's storage.
        let writesBox = atoms.contains { if case .inputBound = $0.atom { true } else { false } }
        var bytes = 0
        caseLoop: for var c in input {
            for (atom, node) in atoms where !c.constrain(with: atom) {
                if firstContradiction == nil, case let .inputBound(i, _, _, _) = atom,
                   let lower = c.box.lower[i], let upper = c.box.upper[i] {
                    firstContradiction = "X_\(i) must be at least \(lower) and at most \(upper) (\(formula.locations[node]))"
                }
                continue caseLoop
            }
            bytes += c.estimatedBytes(countingBox: writesBox)
            cases.append(c)
        }
        if ors.isEmpty || cases.isEmpty { return .done((cases, bytes)) }
        return .frame(Frame(kind: .conjunction, ors: ors, cases: cases, bytes: bytes))
    }
}
