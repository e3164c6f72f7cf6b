import ExactArithmetic

/// A solver for quantifier-free linear real arithmetic with Boolean structure.
///
/// The verifier sees only this protocol; the command line injects Z3. One backend value
/// belongs to one task: create a fresh one per concurrent job through a `@Sendable` factory.
public protocol SolverBackend: AnyObject {
    /// Declares a fresh real variable; `name` is for printing and debugging only.
    func declareReal(named name: String) -> RealVariable
    /// Adds an assertion to the current scope.
    func add(_ formula: Formula)
    /// Opens a scope whose assertions `pop()` removes.
    func push()
    /// Closes the innermost scope.
    func pop()
    /// Checks the assertions; gives up with `.unknown(reason: "timeout")` after `timeout`
    /// (nil: no limit) or `.unknown(reason: "canceled")` when interrupted.
    func check(timeout: Duration?) -> CheckResult
    /// A handle that another task may use to interrupt a running `check`.
    var interruptHandle: any SolverInterruptHandle { get }
}

/// Interrupts a solver's running check from another thread or task.
public protocol SolverInterruptHandle: Sendable {
    /// Asks the running check (if any) to stop soon with `unknown`; later checks are unaffected.
    func interrupt()
}

/// Makes a fresh solver; passed into concurrent code instead of a solver instance.
public typealias SolverFactory = @Sendable () -> any SolverBackend
