/// What running a stated counterexample through the network showed, in float64 and float32.
public struct WitnessCheck: Sendable, Equatable, Codable {
    /// The verdict on the witness.
    public enum Status: String, Sendable, Hashable, Codable {
        /// A counterexample in float64 (exact comparison of the float64 outputs) and in float32
        /// (input rounded to float, float32 arithmetic as an ONNX runtime does).
        case valid
        /// A counterexample in float64 only: the float32 run misses the unsafe set.
        case validFloat64Only = "valid-float64-only"
        /// A counterexample in float32 only.
        case validFloat32Only = "valid-float32-only"
        /// Not a counterexample in either precision, outside the input region, or unreadable.
        case invalid
        /// No counterexample to check (a results CSV without its result files).
        case unavailable
    }

    public var status: Status
    /// Why the witness is invalid, or a note.
    public var reason: String?
    /// The specification case it was measured against (the one it violates, or the first).
    public var caseIndex: Int?
    /// The smallest slack of that case's output constraints on the float64 outputs (≥ 0 inside
    /// the unsafe set) and on the float32 outputs.
    public var marginFloat64: Double?
    public var marginFloat32: Double?
    /// `max_j |Y_j stated − Y_j float64| / max(1, max_j |Y_j float64|)`, when outputs are stated
    /// (VNN-COMP rejects a witness whose stated outputs differ by more than 1e-3 relative).
    public var outputDeviation: Double?

    public init(status: Status, reason: String? = nil, caseIndex: Int? = nil, marginFloat64: Double? = nil,
                marginFloat32: Double? = nil, outputDeviation: Double? = nil) {
        self.status = status
        self.reason = reason
        self.caseIndex = caseIndex
        self.marginFloat64 = marginFloat64
        self.marginFloat32 = marginFloat32
        self.outputDeviation = outputDeviation
    }

    /// Whether the witness is a counterexample in at least one precision.
    public var isValid: Bool { status == .valid || status == .validFloat64Only || status == .validFloat32Only }

    /// An invalid check with `reason`.
    public static func invalid(_ reason: String) -> WitnessCheck { WitnessCheck(status: .invalid, reason: reason) }
}
