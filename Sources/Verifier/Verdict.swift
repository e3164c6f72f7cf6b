import ResultCodec
import Search

/// The answer of a verification run. `holds` and `violated` are produced only with proof:
/// `holds` when every case was proved unreachable, `violated` only with a counterexample
/// that concrete evaluation confirmed.
public enum Verdict: Sendable, Equatable {
    /// Proved: no input in the region reaches the unsafe set (`unsat`).
    case holds
    /// A validated counterexample (`sat`).
    case violated(ValidatedCounterexample)
    /// Neither proved nor refuted; `reason` says why.
    case unknown(reason: String)
    /// The time limit ran out first.
    case timeout

    /// The VNN-COMP word: `unsat`, `sat`, `unknown` or `timeout` (the vocabulary of result
    /// files, `ResultWord`).
    public var word: ResultWord {
        switch self {
        case .holds: .unsat
        case .violated: .sat
        case .unknown: .unknown
        case .timeout: .timeout
        }
    }
}

/// A counterexample that concrete evaluation confirmed: the `Counterexample` that
/// `CounterexampleCheck` measured (valid in float64, accepted by `ReportingPolicy` in float32),
/// and what found it. The fields below read through to `check`.
public struct ValidatedCounterexample: Sendable, Equatable {
    /// The check's record: input, outputs in float64 and float32, case, margins.
    public var check: Counterexample
    /// What found it (`attack`, `z3`, `branch and bound`, …).
    public var foundBy: String

    public init(_ check: Counterexample, foundBy: String) {
        self.check = check
        self.foundBy = foundBy
    }

    /// The input, inside the case's region exactly.
    public var input: [Double] {
        get { check.input }
        set { check.input = newValue }
    }
    /// The network's output in double precision.
    public var output: [Double] {
        get { check.output }
        set { check.output = newValue }
    }
    /// The network's output in single precision (as ONNX runtimes compute it).
    public var outputFloat: [Float] { check.outputFloat }
    /// The specification case whose unsafe set it reaches.
    public var caseIndex: Int {
        get { check.caseIndex }
        set { check.caseIndex = newValue }
    }
    /// Smallest slack of the case's output constraints on the float64 output (≥ 0 valid).
    public var marginDouble: Double { check.marginDouble }
    /// The same on the float32 output.
    public var marginFloat: Double { check.marginFloat }
}
