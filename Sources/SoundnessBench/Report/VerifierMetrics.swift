/// One verifier's scores on a benchmark: SoundnessBench's four ratios (`verifiers/eval.py`,
/// Zhou et al. 2024) plus the counts behind them, failures, and times.
public struct VerifierMetrics: Sendable, Equatable, Codable {
    public var name: String
    /// Answers by instance label (`unverifiable`, `clean`, `unlabelled`) and verdict.
    public var counts: [String: [String: Int]]
    /// Clean instances answered `unsat`, over all clean instances (nil without clean instances).
    public var cleanVerifiedRatio: Double?
    /// Clean instances answered `sat` with a valid counterexample, over all clean instances.
    public var cleanFalsifiedRatio: Double?
    /// Unverifiable instances answered `unsat`, over all unverifiable instances: above 0 means
    /// the verifier is unsound.
    public var unverifiableVerifiedRatio: Double?
    /// Unverifiable instances answered `sat` with a valid counterexample.
    public var unverifiableFalsifiedRatio: Double?
    /// `unsat` answers shown wrong (planted or valid counterexample).
    public var unsoundClaims: Int
    /// `sat` answers whose counterexample is missing or not a counterexample in either precision.
    public var invalidCounterexamples: Int
    /// `sat` answers whose counterexample holds in one precision only.
    public var floatSensitiveCounterexamples: Int
    public var timeouts: Int
    public var errors: Int
    public var unknowns: Int
    /// Seconds over all runs (prepare + run).
    public var totalSeconds: Double
    /// Median seconds of the decided runs.
    public var medianDecidedSeconds: Double?
    /// Sorted run times of the instances decided and not refuted (`unsat` not shown wrong,
    /// `sat` with a valid counterexample): the cactus plot's data.
    public var decidedTimes: [Double]

    /// Whether the verifier made an unsound claim.
    public var hasUnsound: Bool { unsoundClaims > 0 }
}
