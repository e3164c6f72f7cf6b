import Synchronization

/// How far one verification run has come, shared by its tasks and read by whoever shows it
/// (the command line prints a snapshot every second). Writers are the verifier's stages and
/// each branch-and-bound tree; a reader takes a `Snapshot` at any time from any thread.
///
/// Why a shared meter and not a stream of lines: the reader decides how often to look, so a
/// quiet run pays one lock per node and nothing else.
public final class VerificationProgress: Sendable {
    /// The stage the run is in.
    public enum Phase: String, Sendable, Codable {
        /// Interval and linear bounds per case.
        case bounds
        /// Sampling and the gradient attack.
        case attack
        /// Per open case, the full bounds or the plain exact encoding.
        case cases
        /// Branch and bound over the cases still open.
        case branchAndBound = "branch and bound"
        /// The verdict is known.
        case done
    }

    /// What a reader sees.
    public struct Snapshot: Sendable, Equatable {
        public var phase: Phase
        /// Cases decided (proved, falsified or given up) out of `caseCount`.
        public var casesClosed: Int
        public var caseCount: Int
        /// Branch-and-bound nodes processed in every tree so far.
        public var nodesDone: Int
        /// Nodes waiting in the trees still running.
        public var nodesOpen: Int
        /// Exact Z3 checks of branch-and-bound leaves started.
        public var leaves: Int
        /// Share of the branch-and-bound trees' regions closed (each split divides a node's share
        /// among its children; in input-split trees this is the share of the input box), averaged
        /// over the trees started; nil before the first tree.
        public var regionClosed: Double?
        /// The lowest sound lower bound of the slack of any open node's hardest case, over the
        /// running trees: a node is proved once this exceeds 0. Nil when no tree has one yet.
        public var bestBound: Double?
    }

    /// One branch-and-bound tree's counters.
    public struct TreeCounters: Sendable, Equatable {
        public var nodesDone = 0
        public var nodesOpen = 0
        public var leaves = 0
        public var regionClosed = 0.0
        public var bestBound: Double?
        public var finished = false

        public init() {}
    }

    private struct State {
        var phase: Phase = .bounds
        var casesClosed = 0
        var caseCount = 0
        var trees: [Int: TreeCounters] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Starts a run over `caseCount` cases.
    public func begin(caseCount: Int) {
        state.withLock { $0 = State(caseCount: caseCount) }
    }

    /// Enters `phase`.
    public func enter(_ phase: Phase) {
        state.withLock { $0.phase = phase }
    }

    /// Counts `count` more cases as decided.
    public func close(cases count: Int) {
        state.withLock { $0.casesClosed = min($0.caseCount, $0.casesClosed + count) }
    }

    /// Replaces the counters of tree `tree` (any identifier unique within the run).
    public func update(tree: Int, _ counters: TreeCounters) {
        state.withLock { $0.trees[tree] = counters }
    }

    /// The current state.
    public func snapshot() -> Snapshot {
        state.withLock { state in
            let trees = state.trees.values
            let running = trees.filter { !$0.finished }
            return Snapshot(
                phase: state.phase, casesClosed: state.casesClosed, caseCount: state.caseCount,
                nodesDone: trees.reduce(0) { $0 + $1.nodesDone },
                nodesOpen: running.reduce(0) { $0 + $1.nodesOpen },
                leaves: trees.reduce(0) { $0 + $1.leaves },
                regionClosed: trees.isEmpty ? nil : trees.reduce(0) { $0 + $1.regionClosed } / Double(trees.count),
                bestBound: running.compactMap(\.bestBound).min())
        }
    }
}
