import SMT

/// A `SolverBackend` that only records what the encoder declares and asserts, so encoder tests
/// need no solver.
final class RecordingBackend: SolverBackend {
    private(set) var names: [String] = []
    private(set) var assertions: [Formula] = []

    func declareReal(named name: String) -> RealVariable {
        names.append(name)
        return RealVariable(id: names.count - 1)
    }
    func add(_ formula: Formula) { assertions.append(formula) }
    func push() {}
    func pop() {}
    func check(timeout: Duration?) -> CheckResult { .unknown(reason: "recording only") }
    var interruptHandle: any SolverInterruptHandle { NoInterrupt() }

    struct NoInterrupt: SolverInterruptHandle {
        func interrupt() {}
    }

    /// The number of `ite` terms among the assertions.
    var iteCount: Int { assertions.reduce(0) { $0 + Self.ites(in: $1) } }

    private static func ites(in formula: Formula) -> Int {
        switch formula {
        case .constant: 0
        case let .compare(a, _, b): ites(in: a) + ites(in: b)
        case let .and(fs), let .or(fs): fs.reduce(0) { $0 + ites(in: $1) }
        case let .not(f): ites(in: f)
        }
    }

    private static func ites(in term: Term) -> Int {
        switch term {
        case .variable, .constant, .linear: 0
        case let .sum(ts): ts.reduce(0) { $0 + ites(in: $1) }
        case let .scaled(_, t): ites(in: t)
        case let .ite(c, a, b): 1 + ites(in: c) + ites(in: a) + ites(in: b)
        }
    }
}
