import Dispatch
import Foundation
import SMT
import Synchronization

/// Runs blocking solver work on a dedicated thread, so that a long Z3 check never occupies one
/// of Swift's few cooperative threads (on a 2-core machine there are two), and so that
/// cancelling the awaiting task interrupts the solver.
///
/// Z3 does not check its interrupt flag everywhere (some preprocessing runs to completion),
/// so the caller stops *waiting* shortly after an interrupt or a time limit even if the thread
/// is still busy; the thread finishes on its own and its result is dropped.
enum BlockingWork {
    /// How long to wait for a thread after interrupting it before giving up on it.
    static let interruptGrace: Duration = .milliseconds(300)

    /// Runs `body` with a relay that forwards task cancellation to the solver that `body`
    /// attaches to it.
    /// - Parameters:
    ///   - limit: stop waiting `limit` plus the grace after the start, answering `abandoned`.
    ///   - abandoned: the answer when the wait is given up (timeout or cancellation).
    ///   - permit: a `ThreadPermits` permit the thread holds and returns when it ends (so a
    ///     thread left running after an interrupt still counts against the limit).
    static func runCancellable<T: Sendable>(limit: Duration?, abandoned: T, permit: ThreadPermits.Permit? = nil,
                                            _ body: @escaping @Sendable (InterruptRelay) -> T) async -> T {
        let relay = InterruptRelay()
        let answer = OneShotAnswer<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                answer.install(continuation)
                let thread = Thread {
                    let value = body(relay)
                    permit?.release()
                    answer.deliver(value)
                }
                thread.stackSize = 256 << 20  // Z3 recurses deeply on big formulas
                thread.start()
                if let limit {
                    DispatchQueue.global().asyncAfter(deadline: .now() + dispatchInterval(limit + interruptGrace)) {
                        relay.cancel()
                        answer.deliver(abandoned)
                    }
                }
            }
        } onCancel: {
            relay.cancel()
            DispatchQueue.global().asyncAfter(deadline: .now() + dispatchInterval(interruptGrace)) {
                answer.deliver(abandoned)
            }
        }
    }

    private static func dispatchInterval(_ d: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = d.components
        return .nanoseconds(Int(clamping: seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }
}

/// Resumes a continuation exactly once, with whichever answer arrives first; an answer that
/// arrives before the continuation is installed is kept until it is.
final class OneShotAnswer<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var early: T?
        var isDone = false
    }
    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<T, Never>) {
        let ready: T? = state.withLock { s in
            if let early = s.early, !s.isDone {
                s.isDone = true
                return early
            }
            s.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }

    func deliver(_ value: T) {
        let continuation: CheckedContinuation<T, Never>? = state.withLock { s in
            guard !s.isDone else { return nil }
            guard let c = s.continuation else {
                if s.early == nil { s.early = value }
                return nil
            }
            s.isDone = true
            s.continuation = nil
            return c
        }
        continuation?.resume(returning: value)
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
