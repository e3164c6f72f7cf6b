import Foundation
import Verifier

/// The one JSON object `certus verify --json` prints, whatever the outcome: a verdict, a
/// timeout or memory stop reported by `RunGuard`, or an input error. The schema is
/// docs/schema/verify-output.schema.json; `schemaVersion` changes whenever a field changes
/// meaning or goes away (new optional fields keep it).
struct VerifyOutput: Encodable {
    static let schemaVersion = 1

    /// `sat`, `unsat`, `unknown`, `timeout`, or `error` for bad input (exit status 2).
    enum Result: String, Encodable {
        case sat, unsat, unknown, timeout, error
    }

    /// A validated counterexample, as `ValidatedCounterexample` holds it.
    struct Counterexample: Encodable {
        var x: [Double]
        var y: [Double]
        var yFloat32: [Double]
        var `case`: Int
        var marginFloat64: Double
        var marginFloat32: Double
        var foundBy: String
    }

    /// What happened to one case of the property.
    struct Case: Encodable {
        enum Status: String, Encodable { case proved, falsified, unknown, timeout, skipped }
        var `case`: Int
        var status: Status
        var method: String?
        var reason: String?
        var seconds: Double
        var unstableReLUs: [Int]?
        /// For a case left undecided: a sound lower bound of its slack (`CaseOutcome.bound`).
        var bound: Double?
    }

    var schemaVersion = Self.schemaVersion
    var tool = "certus \(certusVersion)"
    var model: String
    var property: String
    var result: Result
    /// Why the result is `unknown`, `timeout` or `error`.
    var reason: String?
    var seconds: Double
    /// Branch-and-bound nodes processed and Z3 leaf checks started.
    var nodes: Int
    var leaves: Int
    /// For `unknown` or `timeout`: the lowest bound of the undecided cases (`CaseOutcome.bound`),
    /// or the lowest of the open nodes when a limit stopped the run.
    var bound: Double?
    var counterexample: Counterexample?
    var cases: [Case]?

    /// The object for a finished run.
    init(_ report: VerificationReport, model: String, property: String) {
        self.model = model
        self.property = property
        seconds = report.seconds
        nodes = report.nodes
        leaves = report.leaves
        switch report.verdict {
        case .holds: result = .unsat
        case let .violated(cex):
            result = .sat
            counterexample = Counterexample(x: cex.input, y: cex.output, yFloat32: cex.outputFloat.map(Double.init),
                                            case: cex.caseIndex, marginFloat64: cex.marginDouble,
                                            marginFloat32: cex.marginFloat, foundBy: cex.foundBy)
        case let .unknown(reason): result = .unknown; self.reason = reason
        case .timeout: result = .timeout; reason = "the time limit ran out"
        }
        cases = report.cases.map { outcome in
            var entry = Case(case: outcome.caseIndex, status: .skipped, seconds: outcome.seconds,
                             unstableReLUs: outcome.unstableReLUs.isEmpty ? nil : outcome.unstableReLUs,
                             bound: outcome.bound)
            switch outcome.status {
            case let .proved(method): entry.status = .proved; entry.method = method
            case .falsified: entry.status = .falsified
            case let .unknown(reason): entry.status = .unknown; entry.reason = reason
            case .timeout: entry.status = .timeout
            case .skipped: entry.status = .skipped
            }
            return entry
        }
        bound = report.lowestUndecidedBound
    }

    /// The object for a run stopped before its verdict (time or memory limit, signal) or by
    /// bad input; the counters say how far it came.
    init(model: String, property: String, result: Result, reason: String, seconds: Double,
         progress: VerificationProgress.Snapshot?) {
        self.model = model
        self.property = property
        self.result = result
        self.reason = reason
        self.seconds = seconds
        nodes = progress?.nodesDone ?? 0
        leaves = progress?.leaves ?? 0
        bound = result == .error ? nil : progress?.bestBound.flatMap { $0.isFinite ? $0 : nil }
    }

    /// Seconds since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// One line of JSON, keys sorted.
    var text: String {
        JSONLine.encode(self) ?? "{\"result\":\"\(result.rawValue)\",\"schemaVersion\":\(Self.schemaVersion)}"
    }
}
