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
    var bounds: NetworkBounds?
    var encoding: NetworkEncoder.ReLUEncoding
    var makeSolver: SolverFactory
    /// A sub-box of the case's region (branch and bound), asserted on top of the exact case.
    var subBox: IntervalVector? = nil
    /// ReLU phases fixed by branch and bound.
    var fixedPhases = PhaseAssignment()

    /// Runs the check on a dedicated thread; cancelling the calling task interrupts Z3.
    /// - Parameters:
    ///   - timeout: the solver's time limit.
    ///   - outputMargin: ask for a point at least this far inside the unsafe set.
    ///   - permit: held by the solver thread until it ends (see `ThreadPermits`).
    func solve(timeout: Duration?, outputMargin: Rational = .zero, permit: ThreadPermits.Permit? = nil) async -> Outcome {
        let job = self
        return await BlockingWork.runCancellable(limit: timeout, abandoned: .timeout, permit: permit) { relay in
            job.solveBlocking(timeout: timeout, outputMargin: outputMargin, relay: relay)
        }
    }

    /// What `solveEach` found for a group of cases over one sub-box.
    enum GroupOutcome: Sendable, Equatable {
        /// A model for case `position` (an index into the cases given).
        case candidate(position: Int, exact: [Rational], nearest: [Double])
        /// The positions of the cases Z3 did not decide (timeout or unknown); the others are
        /// unreachable. Empty when every case is unreachable.
        case undecided([Int])
    }

    /// Decides several cases over the same network, bounds, sub-box and phases with one
    /// encoding of the network: each case's constraints are pushed, checked and popped in turn,
    /// stopping at the first model. Why: encoding a wide network in exact rationals costs more
    /// than checking it (MNIST fc: 784 × 256 weights), and a branch-and-bound leaf of an MNIST
    /// robustness property holds up to nine cases. `specCase` is ignored; `timeout` is for all.
    func solveEach(_ cases: [SpecificationCase], timeout: Duration?, permit: ThreadPermits.Permit? = nil) async -> GroupOutcome {
        let job = self
        let everything = GroupOutcome.undecided(Array(cases.indices))
        return await BlockingWork.runCancellable(limit: timeout, abandoned: everything, permit: permit) { relay in
            job.solveEachBlocking(cases, timeout: timeout, relay: relay)
        }
    }

    private func solveEachBlocking(_ cases: [SpecificationCase], timeout: Duration?, relay: InterruptRelay) -> GroupOutcome {
        let start = ContinuousClock.now
        let solver = makeSolver()
        guard relay.attach(solver.interruptHandle) else { return .undecided(Array(cases.indices)) }
        let encoded = encodeNetwork(into: solver)
        var undecided: [Int] = []
        for (position, specCase) in cases.enumerated() {
            let remaining = timeout.map { $0 - (ContinuousClock.now - start) }
            if relay.isCancelled || (remaining.map { $0 <= .zero } ?? false) {
                undecided.append(contentsOf: position..<cases.count)
                break
            }
            solver.push()
            for formula in PropertyEncoder.formulas(for: specCase, network: encoded, outputMargin: .zero) { solver.add(formula) }
            let result = solver.check(timeout: remaining)
            solver.pop()
            switch result {
            case .unsat:
                continue
            case let .sat(model):
                let exact = encoded.inputs.map { $0.id < model.count ? model[$0.id] : .zero }
                return .candidate(position: position, exact: exact, nearest: exact.map { $0.toDouble(rounding: .nearest) })
            case .unknown:
                undecided.append(position)
            }
        }
        return .undecided(undecided)
    }

    /// The network, its bounds, fixed phases and the sub-box, asserted into `solver`.
    private func encodeNetwork(into solver: SolverBackend) -> EncodedNetwork {
        let encoder = NetworkEncoder(network: network, bounds: bounds, reluEncoding: encoding, fixedPhases: fixedPhases)
        let encoded = encoder.encode(into: solver)
        if let subBox {
            for (i, v) in encoded.inputs.enumerated() where i < subBox.count {
                if let l = Rational(exactly: subBox.lower[i]) { solver.add(.compare(.variable(v), .greaterOrEqual, .constant(l))) }
                if let u = Rational(exactly: subBox.upper[i]) { solver.add(.compare(.variable(v), .lessOrEqual, .constant(u))) }
            }
        }
        return encoded
    }

    private func solveBlocking(timeout: Duration?, outputMargin: Rational, relay: InterruptRelay) -> Outcome {
        let solver = makeSolver()
        guard relay.attach(solver.interruptHandle) else { return .unknown(reason: "canceled") }
        let encoded = encodeNetwork(into: solver)
        for formula in PropertyEncoder.formulas(for: specCase, network: encoded, outputMargin: outputMargin) {
            solver.add(formula)
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
