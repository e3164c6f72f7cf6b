/// The full result of a run: the verdict, what happened to each case, and the time taken.
public struct VerificationReport: Sendable, Equatable {
    public var verdict: Verdict
    public var cases: [CaseOutcome]
    public var seconds: Double

    public init(verdict: Verdict, cases: [CaseOutcome], seconds: Double) {
        self.verdict = verdict
        self.cases = cases
        self.seconds = seconds
    }
}
