import CZ3
import ExactArithmetic
import SMT

/// The Z3 back end of `SolverBackend`: one Z3 context and one solver per instance.
///
/// Numbers stay exact end to end: constants enter Z3 as exact rationals (32-bit integer pairs or
/// `n/d` numeral text, never a `Double`) and model values come back as `n/d` text, so no value
/// is rounded. Errors never become verdicts: a Z3 error while adding an assertion makes every
/// `check` in that scope answer `.unknown(reason:)` naming it.
///
/// An instance belongs to one task; its Z3 handles, which are not `Sendable`, never leave it.
/// To stop a running `check` from elsewhere, pass its `interruptHandle`, which is `Sendable`. A
/// check blocks its thread, so run long checks off the cooperative pool or bound how many run
/// at once.
///
/// ```swift
/// let solver = Z3Solver()
/// let x = solver.declareReal(named: "x")
/// solver.add(.compare(.variable(x), .greater, .constant(Rational(1, 10))))
/// solver.check(timeout: .seconds(1))   // .sat(model: [a value above 1/10])
/// ```
public final class Z3Solver: SolverBackend {
    /// Which Z3 solver to build.
    public enum Logic: Sendable, Hashable {
        /// `Z3_mk_solver_for_logic(QF_LRA)`: the solver tuned for quantifier-free linear real
        /// arithmetic with Boolean structure, which covers every `Formula`.
        case quantifierFreeLinearRealArithmetic
        /// `Z3_mk_solver`: Z3's general solver, which picks a strategy itself.
        case automatic
    }

    /// How long after the time limit the backup timer interrupts Z3, should Z3's own `timeout`
    /// parameter not have stopped the check by then.
    static let backupTimerGrace: Duration = .milliseconds(250)

    private let context: Z3_context?
    private let solver: Z3_solver?
    private var lowering: Z3Lowering?
    private let handle: Z3InterruptHandle
    /// The number of declared variables (kept even when Z3 is unavailable, so ids stay dense).
    private var variableCount = 0
    /// The number of open `push` scopes.
    private var scopeDepth = 0
    /// The first error in force and the scope depth it happened at; popping below that depth
    /// removes the failed assertion and with it the error. Depth -1: lasts for ever.
    private var failure: (message: String, depth: Int)?

    /// The version of the linked Z3 library, e.g. `4.8.12`.
    public static var z3Version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, build: UInt32 = 0, revision: UInt32 = 0
        Z3_get_version(&major, &minor, &build, &revision)
        return "\(major).\(minor).\(build)"
    }

    /// Creates a solver with its own Z3 context.
    /// - Parameters:
    ///   - logic: which Z3 solver to build. QF_LRA is the default: on 12 random 5-8-8-8-1 ReLU
    ///     networks with `ite` ReLUs and a 10 s limit each it decided 9 in 70 s where `automatic`
    ///     decided 6 in 82 s (Measurements.swift); `automatic` is faster on purely Boolean
    ///     structure (pigeonhole with 9 holes: 10 s against over 20 s).
    ///   - randomSeed: Z3's `random_seed` parameter; nil keeps Z3's default (0).
    public init(logic: Logic = .quantifierFreeLinearRealArithmetic, randomSeed: UInt32? = nil) {
        let config = Z3_mk_config()
        // Model generation is on by default in Z3's API; say so, since `check` reads models.
        Z3_set_param_value(config, "model", "true")
        let context = Z3_mk_context_rc(config)
        Z3_del_config(config)
        self.context = context
        handle = Z3InterruptHandle(context: context)
        guard let context else {
            solver = nil
            failure = ("Z3_mk_context_rc returned no context", -1)
            return
        }
        // Z3's default handler prints the error and exits the process; errors are read with
        // Z3_get_error_code after each call instead. Capturing nothing, this is @convention(c).
        Z3_set_error_handler(context) { _, _ in }
        let made: Z3_solver? = switch logic {
        case .quantifierFreeLinearRealArithmetic:
            Z3_mk_solver_for_logic(context, Z3_mk_string_symbol(context, "QF_LRA"))
        case .automatic:
            Z3_mk_solver(context)
        }
        guard Z3_get_error_code(context) == Z3_OK, let made else {
            solver = nil
            failure = ("cannot make a Z3 solver: \(Z3Lowering.errorMessage(context))", -1)
            return
        }
        Z3_solver_inc_ref(context, made)
        solver = made
        do {
            lowering = try Z3Lowering(context: context)
        } catch {
            failure = (error.message, -1)
            return
        }
        if let randomSeed { setParameter("random_seed", randomSeed) }
    }

    /// A factory for concurrent code: each call makes a fresh solver with these settings, so
    /// only the factory (which is `Sendable`) crosses tasks, never a solver.
    public static func factory(logic: Logic = .quantifierFreeLinearRealArithmetic,
                               randomSeed: UInt32? = nil) -> SolverFactory {
        { Z3Solver(logic: logic, randomSeed: randomSeed) }
    }

    deinit {
        // First make late interrupts harmless, then release references and the context.
        handle.invalidate()
        guard let context else { return }
        lowering?.release()
        if let solver { Z3_solver_dec_ref(context, solver) }
        Z3_del_context(context)
    }

    public var interruptHandle: any SolverInterruptHandle { handle }

    /// Declares a fresh real variable. Two variables with the same `name` are still distinct.
    public func declareReal(named name: String) -> RealVariable {
        let variable = RealVariable(id: variableCount)
        variableCount += 1
        do {
            try lowering?.declare(named: name)
        } catch {
            record(error.message)
        }
        return variable
    }

    /// Asserts `formula` in the current scope.
    /// - Complexity: O(size of the formula) to lower it; solving happens in `check`.
    public func add(_ formula: Formula) {
        guard failure == nil, let context, let solver, let lowering else { return }
        do {
            let ast = try lowering.lower(formula)
            defer { Z3_dec_ref(context, ast) }
            Z3_solver_assert(context, solver, ast)
            if Z3_get_error_code(context) != Z3_OK {
                record("Z3_solver_assert failed: \(Z3Lowering.errorMessage(context))")
            }
        } catch {
            record(error.message)
        }
    }

    public func push() {
        scopeDepth += 1
        guard let context, let solver else { return }
        Z3_solver_push(context, solver)
        if Z3_get_error_code(context) != Z3_OK {
            record("Z3_solver_push failed: \(Z3Lowering.errorMessage(context))")
        }
    }

    /// Closes the innermost scope. A `pop` without a matching `push` is a programmer error;
    /// it is recorded, and every later `check` answers unknown naming it.
    public func pop() {
        guard scopeDepth > 0 else {
            record("pop() without a matching push()")
            return
        }
        scopeDepth -= 1
        if let failure, failure.depth > scopeDepth { self.failure = nil }
        guard let context, let solver else { return }
        Z3_solver_pop(context, solver, 1)
        if Z3_get_error_code(context) != Z3_OK {
            record("Z3_solver_pop failed: \(Z3Lowering.errorMessage(context))")
        }
    }

    /// Checks the assertions in force.
    ///
    /// The limit is enforced by our own timer, which calls the thread-safe `Z3_interrupt` when
    /// it passes. It is deliberately not given to Z3 as its `timeout` parameter: in Z3 4.8.12
    /// that parameter starts a `scoped_timer` whose shared thread pool deadlocked here when
    /// several solvers in one process started and stopped timers at once (a check stayed
    /// blocked in `Z3_solver_check` for good). Reasons are normalised: `timeout` when the limit
    /// stopped the check, `canceled` when `interruptHandle` did, otherwise Z3's own words
    /// (e.g. `incomplete …`), or `error: …`.
    /// - Parameter timeout: the time limit; nil for none; zero or less answers `timeout` at once.
    public func check(timeout: Duration?) -> CheckResult {
        check(timeout: timeout, givingZ3TheLimit: false)
    }

    /// `check(timeout:)`; with `givingZ3TheLimit` true the limit also goes to Z3's `timeout`
    /// parameter and our timer fires `backupTimerGrace` later (safe with a single solver).
    func check(timeout: Duration?, givingZ3TheLimit: Bool) -> CheckResult {
        if let failure { return .unknown(reason: "error: \(failure.message)") }
        guard let context, let solver else { return .unknown(reason: "error: no Z3 solver") }
        if let timeout, timeout <= .zero { return .unknown(reason: "timeout") }
        let z3Limit = givingZ3TheLimit ? timeout : nil
        setParameter("timeout", z3Limit.map(Self.milliseconds) ?? UInt32.max)
        if let failure { return .unknown(reason: "error: \(failure.message)") }

        let clock = ContinuousClock()
        let start = clock.now
        let generation = handle.begin()
        let grace = givingZ3TheLimit ? Self.backupTimerGrace : .zero
        let backup = timeout.map { handle.expire(generation: generation, after: $0 + grace) }
        let answer = Z3_solver_check(context, solver)
        backup?.cancel()
        let outcome = handle.end()
        let elapsed = clock.now - start
        guard Z3_get_error_code(context) == Z3_OK else {
            return .unknown(reason: "error: Z3_solver_check failed: \(Z3Lowering.errorMessage(context))")
        }
        switch answer {
        case Z3_L_TRUE:
            return readModel(context: context, solver: solver)
        case Z3_L_FALSE:
            return .unsat
        default:
            let raw = Z3_solver_get_reason_unknown(context, solver).map { String(cString: $0) } ?? ""
            return .unknown(reason: Self.normalizedReason(raw, wasCanceled: outcome.wasCanceled,
                                                          didExpire: outcome.didExpire,
                                                          elapsed: elapsed, limit: timeout))
        }
    }

    /// Asserts the declarations and assertions of an SMT-LIB script (its `check-sat` and
    /// other commands are ignored), e.g. to check a query printed by `SMTLIBPrinter`. The
    /// script's constants are not `RealVariable`s, so a model lists only declared variables.
    /// - Throws: `Z3BackendError.smtlibRejected` with Z3's message when the text does not parse.
    public func addSMTLIB(_ script: String) throws(Z3BackendError) {
        guard let context, let solver else { throw .unavailable(message: failure?.message ?? "no context") }
        Z3_solver_from_string(context, solver, script)
        guard Z3_get_error_code(context) == Z3_OK else {
            throw .smtlibRejected(message: Z3Lowering.errorMessage(context))
        }
    }

    /// Z3's own SMT-LIB rendering of the assertions in force, for debugging.
    public var z3Description: String {
        guard let context, let solver, let text = Z3_solver_to_string(context, solver) else { return "" }
        return String(cString: text)
    }

    /// Reads every declared variable's value as an exact rational; a value that is not a
    /// rational numeral (an algebraic number cannot arise in linear arithmetic, but is refused
    /// all the same) makes the answer unknown rather than approximate.
    private func readModel(context: Z3_context, solver: Z3_solver) -> CheckResult {
        guard let model = Z3_solver_get_model(context, solver), Z3_get_error_code(context) == Z3_OK else {
            return .unknown(reason: "error: Z3_solver_get_model failed: \(Z3Lowering.errorMessage(context))")
        }
        Z3_model_inc_ref(context, model)
        defer { Z3_model_dec_ref(context, model) }
        var values: [Rational] = []
        values.reserveCapacity(variableCount)
        for id in 0..<variableCount {
            guard let constant = try? lowering?.constant(of: RealVariable(id: id)) else {
                return .unknown(reason: "error: variable #\(id) has no Z3 constant")
            }
            var value: Z3_ast?
            // Model completion gives variables that no assertion mentions a value (0).
            guard Z3_model_eval(context, model, constant, true, &value), let value,
                  Z3_get_error_code(context) == Z3_OK else {
                return .unknown(reason: "error: cannot evaluate variable #\(id) in the model")
            }
            Z3_inc_ref(context, value)
            defer { Z3_dec_ref(context, value) }
            guard Z3_is_numeral_ast(context, value), !Z3_is_algebraic_number(context, value),
                  let text = Z3_get_numeral_string(context, value),
                  let rational = Z3Numeral.rational(String(cString: text)) else {
                return .unknown(reason: "model value of variable #\(id) is not a rational numeral")
            }
            values.append(rational)
        }
        return .sat(model: values)
    }

    /// Sets one unsigned solver parameter, recording a Z3 error if it is refused.
    private func setParameter(_ name: String, _ value: UInt32) {
        guard let context, let solver else { return }
        guard let params = Z3_mk_params(context) else {
            record("Z3_mk_params failed: \(Z3Lowering.errorMessage(context))")
            return
        }
        Z3_params_inc_ref(context, params)
        defer { Z3_params_dec_ref(context, params) }
        Z3_params_set_uint(context, params, Z3_mk_string_symbol(context, name), value)
        Z3_solver_set_params(context, solver, params)
        if Z3_get_error_code(context) != Z3_OK {
            record("setting Z3 parameter \(name) failed: \(Z3Lowering.errorMessage(context))")
        }
    }

    /// Keeps the first error in force, tied to the current scope.
    private func record(_ message: String) {
        if failure == nil { failure = (message, scopeDepth) }
    }

    /// `duration` in whole milliseconds, rounded up and kept within Z3's `1...UInt32.max - 1`
    /// (0 and `UInt32.max` both mean "no limit" to Z3).
    static func milliseconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        let fromSeconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !fromSeconds.overflow else { return UInt32.max - 1 }
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let total = fromSeconds.partialValue.addingReportingOverflow(fraction)
        guard !total.overflow else { return UInt32.max - 1 }
        return UInt32(clamping: max(1, min(total.partialValue, Int64(UInt32.max) - 1)))
    }

    /// Maps Z3's reason for `unknown` to the words of `CheckResult`: `canceled` when the
    /// interrupt handle stopped the check, `timeout` when the limit (Z3's parameter or the
    /// backup timer) did, otherwise Z3's reason unchanged.
    static func normalizedReason(_ raw: String, wasCanceled: Bool, didExpire: Bool,
                                 elapsed: Duration, limit: Duration?) -> String {
        if wasCanceled { return "canceled" }
        if didExpire { return "timeout" }
        let lower = raw.lowercased()
        if lower.contains("timeout") { return "timeout" }
        if lower.contains("cancel") || lower.contains("interrupt") {
            if let limit, elapsed >= limit { return "timeout" }
            return "canceled"
        }
        return raw.isEmpty ? "unknown" : raw
    }
}
