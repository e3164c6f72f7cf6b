import HeapModule

/// The open nodes of branch and bound, best first: the node with the largest
/// `Subproblem.promise` (its parent's nearest miss plus a share of the violation its parent's
/// bounds still allow, `BranchAndBound.childPromise`), then the deeper node, then the node
/// queued last.
///
/// Why: for an `unsat` case every node must be processed whatever the order, but a `sat` case
/// ends at the first counterexample. Depth-first order spent 58 s on ACAS Xu 2_9 prop_8 before
/// reaching its unsafe pocket; following the near misses first finds it in 3–7 s. The
/// tie-breaks keep the old depth-first order where no candidate says anything, and never
/// depend on anything but the order of insertion (which `BranchAndBound.run` keeps fixed).
struct NodeQueue: Sendable {
    private struct Entry: Comparable, Sendable {
        var node: Subproblem
        var sequence: Int

        static func == (a: Entry, b: Entry) -> Bool { a.sequence == b.sequence }

        /// `a < b` when `a` should come out later.
        static func < (a: Entry, b: Entry) -> Bool {
            let pa = a.node.promise.isNaN ? -Double.infinity : a.node.promise
            let pb = b.node.promise.isNaN ? -Double.infinity : b.node.promise
            if pa != pb { return pa < pb }
            if a.node.depth != b.node.depth { return a.node.depth < b.node.depth }
            return a.sequence < b.sequence
        }
    }

    private var heap = Heap<Entry>()
    private var queued = 0
    /// Bytes of split multipliers the queued nodes may hold (`BranchAndBound.Options.warmStartMemory`).
    let warmStartBudget: Int
    /// Bytes of split multipliers the queued nodes hold now.
    private(set) var warmStartBytes = 0

    /// An empty queue whose nodes hold at most `warmStartBudget` bytes of split multipliers.
    init(warmStartBudget: Int = .max) {
        self.warmStartBudget = warmStartBudget
    }

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// Queues `node`; beyond the budget its split multipliers are dropped (they are only a
    /// warm start: the node's ascent then starts from β = 0, and its bound stays sound).
    mutating func insert(_ node: Subproblem) {
        var node = node
        let bytes = node.splitMultiplierBytes
        if warmStartBytes + bytes > warmStartBudget {
            node.splitMultipliers = [:]
        } else {
            warmStartBytes += bytes
        }
        heap.insert(Entry(node: node, sequence: queued))
        queued += 1
    }

    mutating func insert(contentsOf nodes: [Subproblem]) {
        for node in nodes { insert(node) }
    }

    /// The lowest `Subproblem.lowerBound` of the open nodes, nil when there are none (for
    /// progress reports; one pass, no copies of the nodes).
    var lowestLowerBound: Double? { heap.unordered.lazy.map(\.node.lowerBound).min() }

    /// The best node, removed.
    mutating func popBest() -> Subproblem? {
        guard let node = heap.popMax()?.node else { return nil }
        warmStartBytes -= node.splitMultiplierBytes
        return node
    }
}
