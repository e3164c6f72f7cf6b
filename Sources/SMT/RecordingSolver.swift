/// A `SolverBackend` that remembers what it is told, so the query in force can be printed as
/// SMT-LIB text (to debug an encoding, or to hand the query to another solver), and forwards
/// everything to an inner backend when it has one.
///
/// Without an inner backend `check` answers `.unknown(reason: "no solver")`: recording alone
/// never decides anything.
public final class RecordingSolver: SolverBackend {
    /// The backend that does the solving, if any.
    private let inner: (any SolverBackend)?
    /// The name given to each declared variable, by id.
    public private(set) var variableNames: [String] = []
    /// The assertions of each open scope; the first entry is the base scope.
    private var scopes: [[Formula]] = [[]]

    /// Creates a recorder that forwards to `inner` (nil: record only).
    public init(forwardingTo inner: (any SolverBackend)? = nil) {
        self.inner = inner
    }

    /// The assertions in force, outermost scope first.
    public var assertions: [Formula] { scopes.flatMap { $0 } }

    /// The query in force as an SMT-LIB script (see `SMTLIBPrinter.script`).
    /// - Complexity: O(size of the assertions).
    public func script(logic: String? = "QF_LRA", getModel: Bool = false) -> String {
        SMTLIBPrinter(variableNames: variableNames).script(asserting: assertions, logic: logic, getModel: getModel)
    }

    public func declareReal(named name: String) -> RealVariable {
        let variable = RealVariable(id: variableNames.count)
        variableNames.append(name)
        if let inner {
            let forwarded = inner.declareReal(named: name)
            // Ids are declaration positions, so a fresh inner backend assigns the same ones.
            precondition(forwarded == variable,
                         "RecordingSolver: inner backend gave id \(forwarded.id) for variable \(variable.id); wrap a fresh backend")
        }
        return variable
    }

    public func add(_ formula: Formula) {
        scopes[scopes.count - 1].append(formula)
        inner?.add(formula)
    }

    public func push() {
        scopes.append([])
        inner?.push()
    }

    /// Closes the innermost scope; a `pop` without a matching `push` is ignored here and
    /// passed on to the inner backend, which reports it.
    public func pop() {
        if scopes.count > 1 { scopes.removeLast() }
        inner?.pop()
    }

    public func check(timeout: Duration?) -> CheckResult {
        inner?.check(timeout: timeout) ?? .unknown(reason: "no solver")
    }

    public var interruptHandle: any SolverInterruptHandle {
        inner?.interruptHandle ?? NoInterrupt()
    }

    /// The handle of a recorder without a solver: there is never a check to interrupt.
    private struct NoInterrupt: SolverInterruptHandle {
        func interrupt() {}
    }
}
