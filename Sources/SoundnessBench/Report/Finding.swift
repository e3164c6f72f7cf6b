import ResultCodec
/// One wrong answer: an unsound `unsat` or an invalid counterexample.
public struct Finding: Sendable, Equatable, Codable {
    public var verifier: String
    public var onnx: String
    public var vnnlib: String
    /// The verdict given.
    public var verdict: ResultWord
    /// Why it is wrong.
    public var detail: String
}

/// An instance on which verifiers gave opposite decided answers.
public struct Disagreement: Sendable, Equatable, Codable {
    /// Which side the evidence refutes.
    public enum Refuted: String, Sendable, Codable {
        /// A valid counterexample (or the planted one) contradicts the `unsat` answers.
        case unsat
        /// The `sat` answers' counterexamples are all invalid; nothing contradicts `unsat`.
        case sat
        /// Counterexamples hold in one precision only, or none are available.
        case undetermined
    }

    public var onnx: String
    public var vnnlib: String
    /// The instance's label, when known.
    public var label: InstanceLabel?
    /// Each verifier's answer, with the counterexample status for `sat`.
    public var answers: [String: String]
    public var refuted: Refuted
    /// The evidence, in words.
    public var detail: String
}
