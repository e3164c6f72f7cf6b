import Foundation
import Encoding

/// Everything that steers one verification run; passed explicitly, never global.
public struct VerifierOptions: Sendable {
    /// Wall-clock limit for the whole run; nil for none.
    public var timeout: Duration?
    /// The decision procedure behind the bounds.
    public enum Engine: String, Sendable, CaseIterable {
        /// Branch and bound over input or ReLU splits, Z3 at the leaves (the default).
        case branchAndBound = "bab"
        /// The plain exact encoding of each whole case (the baseline).
        case exact
    }

    /// The decision procedure behind the bounds.
    public var engine: Engine = .branchAndBound
    /// How unstable ReLUs are written for Z3.
    public var reluEncoding: NetworkEncoder.ReLUEncoding = .ite
    /// Whether sound bounds run before Z3 (to prove cases outright and fix stable ReLUs).
    public var usesBounds: Bool = true
    /// Whether sampling and a gradient attack run before any proof attempt.
    public var usesAttack: Bool = true
    /// Seed of every random choice, so a run can be repeated exactly.
    public var seed: UInt64 = 0
    /// How many sub-problems run at once (default: the number of active processors).
    public var jobs: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Branch-and-bound nodes with at most this many unstable ReLUs go to Z3 (nil: 0, see
    /// `BranchAndBound.Options.leafThreshold`).
    public var leafThreshold: Int? = nil

    /// When set, every case is proved by branch and bound (no separate root proofs) and the
    /// proof is streamed to this recorder as a certificate (docs/CERTIFICATES.md).
    public var proofRecorder: ProofRecorder?

    /// Receives progress lines (branch-and-bound statistics) when set.
    public var progress: (@Sendable (String) -> Void)?
    /// Receives the run's counters (phase, cases closed, branch-and-bound nodes) when set; the
    /// verifier keeps a private one otherwise (its totals go into the report).
    public var progressMeter: VerificationProgress?

    public init(timeout: Duration? = nil) {
        self.timeout = timeout
    }
}

