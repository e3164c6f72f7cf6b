/// A VNN-LIB property normalised to disjunctive form: the unsafe set is the union of `cases`.
/// The property is violated (`sat`) iff some input in some case's region drives the network
/// into that case's output constraints.
public struct Specification: Sendable, Hashable {
    /// The number of declared inputs (`X_0 … X_{n-1}`).
    public var inputCount: Int
    /// The number of declared outputs (`Y_0 … Y_{m-1}`).
    public var outputCount: Int
    /// The disjuncts of the unsafe set.
    public var cases: [SpecificationCase]
    /// When `cases` is empty, why no input is in the unsafe set: the parser's account of the
    /// first contradiction it found (an input bound above its upper bound, or a false
    /// constraint), for the note that explains an `unsat` that needed no proof.
    public var emptinessReason: String?

    public init(inputCount: Int, outputCount: Int, cases: [SpecificationCase], emptinessReason: String? = nil) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.cases = cases
        self.emptinessReason = emptinessReason
    }

    /// The index of the first case whose unsafe set contains `(inputs, outputs)`, exactly.
    public func violatedCase(inputs: [Double], outputs: [Double]) -> Int? {
        cases.firstIndex { $0.isSatisfied(inputs: inputs, outputs: outputs) }
    }
}
