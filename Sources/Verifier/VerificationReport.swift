/// The full result of a run: the verdict, what happened to each case, and the time taken.
public struct VerificationReport: Sendable, Equatable {
    public var verdict: Verdict
    public var cases: [CaseOutcome]
    public var seconds: Double
    /// Branch-and-bound nodes processed, over every tree of the run.
    public var nodes: Int
    /// Exact Z3 checks of branch-and-bound leaves started.
    public var leaves: Int

    /// For an `unknown` or `timeout` verdict: the lowest `CaseOutcome.bound` of the cases left
    /// undecided, nil when a verdict was reached or one of them has no bound.
    public var lowestUndecidedBound: Double? {
        switch verdict {
        case .holds, .violated: return nil
        case .unknown, .timeout:
            let open = cases.filter { outcome in
                switch outcome.status {
                case .unknown, .timeout: true
                case .proved, .falsified, .skipped: false
                }
            }
            guard !open.isEmpty else { return nil }
            let bounds = open.compactMap(\.bound)
            return bounds.count == open.count ? bounds.min() : nil
        }
    }

    public init(verdict: Verdict, cases: [CaseOutcome], seconds: Double, nodes: Int = 0, leaves: Int = 0) {
        self.verdict = verdict
        self.cases = cases
        self.seconds = seconds
        self.nodes = nodes
        self.leaves = leaves
    }
}
