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
///
/// Memory: best-first order lets the open set grow by one node for every node processed when
/// little is pruned (75,000 open nodes and a 546 MiB peak after 300 s on mnist-net_256x4
/// prop_0_0.05, before nodes got faster). Once the queued nodes' estimated bytes
/// (`Subproblem.queuedBytes`) pass `memoryBudget`, new nodes go on a stack instead, which is
/// taken first, depth first: the open set then grows by at most the tree's depth until the
/// stack is empty, and best-first order resumes when there is room again. For an `unsat` case
/// the order changes nothing but memory; a `sat` case may be found later.
struct NodeQueue: Sendable {
    private struct Entry: Comparable, Sendable {
        var node: Subproblem
        var sequence: Int
        /// `node.queuedBytes` and the split multipliers' bytes it counts against the warm-start
        /// budget, as counted when it was queued.
        var bytes: Int
        var warmStartBytes: Int

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
    /// Nodes queued while over `memoryBudget`, taken last in, first out before the heap's.
    private var stack: [Entry] = []
    private var queued = 0
    /// Estimated bytes the queued nodes may hold before new ones are taken depth first.
    let memoryBudget: Int
    /// Estimated bytes the queued nodes hold now.
    private(set) var bytes = 0
    /// Whether nodes' boxes are shared with the root (ReLU-split trees) rather than their own.
    let sharedBoxes: Bool
    /// Bytes of split multipliers the queued nodes may hold (`BranchAndBound.Options.warmStartMemory`).
    let warmStartBudget: Int
    /// Bytes of split multipliers the queued nodes hold now.
    private(set) var warmStartBytes = 0

    /// An empty queue whose nodes hold at most `warmStartBudget` bytes of split multipliers and
    /// are taken depth first beyond `memoryBudget` bytes in all.
    init(warmStartBudget: Int = .max, memoryBudget: Int = .max, sharedBoxes: Bool = false) {
        self.warmStartBudget = warmStartBudget
        self.memoryBudget = memoryBudget
        self.sharedBoxes = sharedBoxes
    }

    var isEmpty: Bool { heap.isEmpty && stack.isEmpty }
    var count: Int { heap.count + stack.count }
    /// Whether nodes are being taken depth first for lack of memory.
    var isDepthFirst: Bool { !stack.isEmpty }

    /// Queues `node`; beyond the budget its warm starts are dropped (the node's ascent then
    /// starts from β = 0 and its program from the root's cuts; its bounds stay sound).
    mutating func insert(_ node: Subproblem) {
        var node = node
        var warm = node.warmStartBytes
        if warmStartBytes + warm > warmStartBudget {
            node.warmStarts = [:]
            warm = 0
        } else {
            warmStartBytes += warm
        }
        let entry = Entry(node: node, sequence: queued, bytes: node.queuedBytes(sharedBox: sharedBoxes), warmStartBytes: warm)
        if !stack.isEmpty || self.bytes + entry.bytes > memoryBudget {
            stack.append(entry)
        } else {
            heap.insert(entry)
        }
        self.bytes += entry.bytes
        queued += 1
    }

    mutating func insert(contentsOf nodes: [Subproblem]) {
        for node in nodes { insert(node) }
    }

    /// The lowest `Subproblem.lowerBound` of the open nodes, nil when there are none (for
    /// progress reports; one pass, no copies of the nodes).
    var lowestLowerBound: Double? {
        [heap.unordered.lazy.map(\.node.lowerBound).min(), stack.lazy.map(\.node.lowerBound).min()].compactMap { $0 }.min()
    }

    /// The next node, removed: the top of the stack while there is one, else the best.
    mutating func popBest() -> Subproblem? {
        guard let entry = stack.popLast() ?? heap.popMax() else { return nil }
        warmStartBytes -= entry.warmStartBytes
        bytes -= entry.bytes
        return entry.node
    }
}
