/// What happened to one case (input region × unsafe conjunction) of a specification.
public struct CaseOutcome: Sendable, Equatable {
    /// How the case ended.
    public enum Status: Sendable, Equatable {
        /// Proved unreachable by the named method (`interval`, `linear`, `lagrangian`, `z3`, …).
        case proved(method: String)
        /// A validated counterexample lies in this case.
        case falsified
        /// Not decided; the reason says why.
        case unknown(reason: String)
        /// Not decided before the time limit.
        case timeout
        /// Not attempted because another case already decided the run.
        case skipped
    }

    public var caseIndex: Int
    public var status: Status
    public var seconds: Double
    /// ReLUs left unstable per ReLU layer by the bounds used (empty when no bounds ran).
    public var unstableReLUs: [Int]
    /// For a case branch and bound left undecided: a sound lower bound of the case's slack
    /// over its region (its unsafe set is empty where the slack is positive, so a proof needs
    /// this to reach 0; a counterexample has a slack below 0). With a tree shared by several
    /// cases, the bound of the hardest. Finite, or nil when none was proved.
    public var bound: Double?

    public init(caseIndex: Int, status: Status, seconds: Double, unstableReLUs: [Int] = [], bound: Double? = nil) {
        self.caseIndex = caseIndex
        self.status = status
        self.seconds = seconds
        self.unstableReLUs = unstableReLUs
        self.bound = bound
    }
}
