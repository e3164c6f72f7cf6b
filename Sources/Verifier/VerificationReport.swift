/// The full result of a run: the verdict, what happened to each case, and the time taken.
public struct VerificationReport: Sendable, Equatable {
    public var verdict: Verdict
    public var cases: [CaseOutcome]
    public var seconds: Double
    /// Branch-and-bound nodes processed, over every tree of the run.
    public var nodes: Int
    /// Exact Z3 checks of branch-and-bound leaves started.
    public var leaves: Int

    public init(verdict: Verdict, cases: [CaseOutcome], seconds: Double, nodes: Int = 0, leaves: Int = 0) {
        self.verdict = verdict
        self.cases = cases
        self.seconds = seconds
        self.nodes = nodes
        self.leaves = leaves
    }
}
