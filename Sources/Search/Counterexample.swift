/// A candidate input together with what the network does with it, in float64 and float32,
/// measured against one case of the specification.
///
/// Built only by `CounterexampleCheck`, which decides `isValid` exactly; the margins are for
/// ranking and for the reporting tolerance (`ReportingPolicy`), never for validity.
public struct Counterexample: Sendable, Equatable {
    /// The input, as the doubles that will be printed in the result file.
    public var input: [Double]
    /// The network's output on `input`, evaluated in float64.
    public var output: [Double]
    /// The network's output on `Float(input)`, evaluated in float32 as an ONNX runtime does.
    public var outputFloat: [Float]
    /// The index of the specification case the input is measured against.
    public var caseIndex: Int
    /// The smallest slack of the case's output constraints on `output` (the exact slack
    /// rounded to the nearest double): positive means strictly inside the unsafe set.
    public var marginDouble: Double
    /// The same slack measured on `outputFloat` (each float taken at its exact value).
    public var marginFloat: Double
    /// Whether `input` lies in the case's exact box and satisfies its input constraints, or
    /// lies on the nearest doubles of a box side that holds no double (see
    /// `CounterexampleCheck`).
    public var isInRegion: Bool
    /// Whether the whole case holds exactly on the float64 outputs (tolerance 0): this is
    /// what makes the input a counterexample.
    public var isValid: Bool
    /// Whether the whole case also holds exactly on the float32 outputs.
    public var holdsInFloat32: Bool

    /// The smaller of the two margins: the quantity the polisher and the falsifier maximise.
    public var worstMargin: Double { min(marginDouble, marginFloat) }
}
