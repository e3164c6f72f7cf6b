import Bounds

/// A node of branch and bound: an input sub-box of a case's region plus ReLU phases fixed by
/// earlier splits.
struct Subproblem: Sendable {
    /// The sub-box, in doubles that enclose the node's part of the exact region.
    var box: IntervalVector
    /// ReLU phases fixed on the way down.
    var phases: PhaseAssignment
    /// Number of splits above this node.
    var depth: Int
    /// Set when an exact leaf check gave up on this node, so it is split rather than retried.
    var mustSplit = false
    /// How many exact leaf checks of this node gave up.
    var leafAttempts = 0
    /// Sound bounds of a region containing this node's (its parent's), intersected into its own.
    var known: NetworkBounds?
    /// The cases of the branch-and-bound group not yet refuted above this node (positions in
    /// the group), in order.
    var openCases: [Int]
    /// How likely the node is to hold a counterexample: its parent's largest violation margin
    /// plus a share of what the parent's bounds leave room for (`BranchAndBound.childPromise`).
    var promise: Double = -.infinity
    /// In ReLU-split trees: per open case (position in the group), per atom, where the parent's
    /// bounding ended (split multipliers, hull program), from which this node's starts.
    var warmStarts: [Int: [AtomWarmStart]] = [:]
    /// Heap bytes of `warmStarts`, estimated (dictionary entries and arrays).
    var warmStartBytes: Int {
        warmStarts.values.reduce(0) { total, atoms in total + 48 + atoms.reduce(0) { $0 + $1.byteCount } }
    }
    /// Heap bytes the node holds while queued, estimated for `NodeQueue`'s memory budget: a
    /// fixed part (the heap entry, the array and dictionary headers), its phases, open cases,
    /// split multipliers, inherited bounds and, unless it shares its parent's, its box.
    func queuedBytes(sharedBox: Bool) -> Int {
        var total = 512 + phases.count * 8 + openCases.count * 8 + warmStartBytes
        if let known { total += 64 + 16 * (known.input.count + known.layers.reduce(0) { $0 + $1.count }) + 32 * known.layers.count }
        if !sharedBox { total += 64 + 16 * box.count }
        return total
    }

    /// The node's share of its tree (the root's is 1; a split divides it among the children),
    /// for progress reports.
    var share: Double = 1
    /// A sound lower bound of the slack of the node's hardest open case, proved on an ancestor's
    /// region (−∞ before any), for progress reports and the bound an undecided tree reports.
    var lowerBound: Double = -.infinity
    /// The node's id in a proof certificate (`ProofRecorder`); 0 when none is recorded.
    var id = 0
}
