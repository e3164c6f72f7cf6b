import Foundation
import SMT
import Synchronization

/// Runs blocking solver work on a dedicated thread, so that a long Z3 check never occupies one
/// of Swift's few cooperative threads (on a 2-core machine there are two), and so that
/// cancelling the awaiting task interrupts the solver.
enum BlockingWork {
    /// Runs `body` on a fresh thread with a large stack (Z3 recurses deeply on big formulas).
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 256 << 20
            thread.start()
        }
    }

    /// Runs `body` with a relay that forwards task cancellation to the solver that `body`
    /// attaches to it.
    static func runCancellable<T: Sendable>(_ body: @escaping @Sendable (InterruptRelay) -> T) async -> T {
        let relay = InterruptRelay()
        return await withTaskCancellationHandler {
            await run { body(relay) }
        } onCancel: {
            relay.cancel()
        }
    }
}

/// Forwards a cancellation that may arrive before, during or after a solver's check.
final class InterruptRelay: Sendable {
    private struct State {
        var handle: (any SolverInterruptHandle)?
        var isCancelled = false
    }
    private let state = Mutex(State())

    /// Registers the running solver's handle; returns false when cancellation already came,
    /// in which case the caller should not start the check.
    func attach(_ handle: any SolverInterruptHandle) -> Bool {
        state.withLock { s in
            s.handle = handle
            return !s.isCancelled
        }
    }

    /// Whether cancellation has been requested.
    var isCancelled: Bool { state.withLock { $0.isCancelled } }

    /// Interrupts the attached solver, now or as soon as one attaches.
    func cancel() {
        let handle = state.withLock { s -> (any SolverInterruptHandle)? in
            s.isCancelled = true
            return s.handle
        }
        handle?.interrupt()
    }
}
