import ResultCodec

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

/// A counterexample that concrete evaluation confirmed, with the margins it achieves.
public struct ValidatedCounterexample: Sendable, Equatable {
    /// The input, inside the case's region exactly.
    public var input: [Double]
    /// The network's output in double precision.
    public var output: [Double]
    /// The network's output in single precision (as ONNX runtimes compute it).
    public var outputFloat: [Float]
    /// The specification case whose unsafe set it reaches.
    public var caseIndex: Int
    /// Smallest slack of the case's output constraints on the float64 output (≥ 0 valid).
    public var marginDouble: Double
    /// The same on the float32 output.
    public var marginFloat: Double
    /// What found it (`attack`, `z3`, `grid search`, …).
    public var foundBy: String

    public init(input: [Double], output: [Double], outputFloat: [Float], caseIndex: Int,
                marginDouble: Double, marginFloat: Double, foundBy: String) {
        self.input = input
        self.output = output
        self.outputFloat = outputFloat
        self.caseIndex = caseIndex
        self.marginDouble = marginDouble
        self.marginFloat = marginFloat
        self.foundBy = foundBy
    }
}
