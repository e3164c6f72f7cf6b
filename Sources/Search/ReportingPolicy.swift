/// When a counterexample is good enough to be reported as `sat`.
///
/// Validity is always exact in float64: the input lies in the case's exact box, satisfies its
/// input constraints exactly, and the float64 outputs satisfy every output constraint exactly
/// (so a margin ≥ 0 for `<=`, > 0 for `<`, = 0 for `=`; tolerance 0). On top of that the
/// float32 outputs, which is what an ONNX runtime computes and what VNN-COMP's checker replays,
/// must not miss the unsafe set by more than `float32Tolerance`. VNN-COMP's `counterexamples.py`
/// accepts a violation within 1e-4, hence the default.
public struct ReportingPolicy: Sendable, Hashable {
    /// How far (in output units) the float32 outputs may lie outside the unsafe set. With 0,
    /// the case must hold exactly on the float32 outputs as well.
    public var float32Tolerance: Double

    /// Creates a policy. - Precondition: `float32Tolerance >= 0`.
    public init(float32Tolerance: Double) {
        precondition(float32Tolerance >= 0, "float32 tolerance must be non-negative")
        self.float32Tolerance = float32Tolerance
    }

    /// VNN-COMP's tolerance: float32 outputs within 1e-4 of the unsafe set.
    public static let vnncomp = ReportingPolicy(float32Tolerance: 1e-4)
    /// No tolerance: the case must hold exactly in float64 and in float32.
    public static let zeroTolerance = ReportingPolicy(float32Tolerance: 0)

    /// Whether `counterexample` may be reported as `sat` under this policy.
    public func accepts(_ counterexample: Counterexample) -> Bool {
        guard counterexample.isValid else { return false }
        if counterexample.holdsInFloat32 { return true }
        return float32Tolerance > 0 && counterexample.marginFloat >= -float32Tolerance
    }
}
