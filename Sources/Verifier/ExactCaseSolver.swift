import Bounds
import Encoding
import ExactArithmetic
import NetworkIR
import SMT
import VNNLIB

/// Decides one specification case exactly with an SMT solver: the layered encoding of the
/// network (`NetworkEncoder`) plus the case's region and unsafe constraints.
struct ExactCaseSolver: Sendable {
    /// The solver's answer for a case.
    enum Outcome: Sendable, Equatable {
        /// No input of the region reaches the unsafe set (exact proof).
        case unreachable
        /// A model: the input values, exact, and their nearest doubles.
        case candidate(exact: [Rational], nearest: [Double])
        case unknown(reason: String)
        case timeout
    }

    var network: Network
    var specCase: SpecificationCase
    var bounds: NeuronBounds?
    var encoding: NetworkEncoder.ReLUEncoding
    var makeSolver: SolverFactory
    /// A sub-box of the case's region (branch and bound), asserted on top of the exact case.
    var subBox: IntervalVector? = nil
    /// ReLU phases fixed by branch and bound.
    var fixedPhases: [Int: [Int: NetworkEncoder.Phase]] = [:]

    /// Runs the check on a dedicated thread; cancelling the calling task interrupts Z3.
    /// - Parameters:
    ///   - timeout: the solver's time limit.
    ///   - outputMargin: ask for a point at least this far inside the unsafe set.
    func solve(timeout: Duration?, outputMargin: Rational = .zero) async -> Outcome {
        let job = self
        return await BlockingWork.runCancellable(limit: timeout, abandoned: .timeout) { relay in
            job.solveBlocking(timeout: timeout, outputMargin: outputMargin, relay: relay)
        }
    }

    private func solveBlocking(timeout: Duration?, outputMargin: Rational, relay: InterruptRelay) -> Outcome {
        let solver = makeSolver()
        guard relay.attach(solver.interruptHandle) else { return .unknown(reason: "canceled") }
        let encoder = NetworkEncoder(network: network, bounds: bounds, reluEncoding: encoding, fixedPhases: fixedPhases)
        let encoded = encoder.encode(into: solver)
        for formula in PropertyEncoder.formulas(for: specCase, network: encoded, outputMargin: outputMargin) {
            solver.add(formula)
        }
        if let subBox {
            for (i, v) in encoded.inputs.enumerated() where i < subBox.count {
                if let l = Rational(exactly: subBox.lower[i]) { solver.add(.compare(.variable(v), .greaterOrEqual, .constant(l))) }
                if let u = Rational(exactly: subBox.upper[i]) { solver.add(.compare(.variable(v), .lessOrEqual, .constant(u))) }
            }
        }
        if relay.isCancelled { return .unknown(reason: "canceled") }
        switch solver.check(timeout: timeout) {
        case .unsat:
            return .unreachable
        case let .sat(model):
            let exact = encoded.inputs.map { $0.id < model.count ? model[$0.id] : .zero }
            return .candidate(exact: exact, nearest: exact.map { $0.toDouble(rounding: .nearest) })
        case let .unknown(reason):
            return reason == "timeout" ? .timeout : .unknown(reason: reason)
        }
    }
}
