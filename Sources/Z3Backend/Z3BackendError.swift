/// Errors of the Z3 backend that a caller can act on.
///
/// Failures while lowering or checking a query never throw: they make `check` answer
/// `.unknown(reason:)` with the message, because an error must never look like a verdict.
public enum Z3BackendError: Error, Equatable, CustomStringConvertible {
    /// Z3 rejected SMT-LIB text given to `Z3Solver.addSMTLIB(_:)`.
    case smtlibRejected(message: String)
    /// The solver could not be set up (no context), so it cannot take the text.
    case unavailable(message: String)

    public var description: String {
        switch self {
        case .smtlibRejected(let message): "Z3 rejected the SMT-LIB text: \(message)"
        case .unavailable(let message): "the Z3 solver is unavailable: \(message)"
        }
    }
}
