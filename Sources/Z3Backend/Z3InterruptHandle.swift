import CZ3
import Dispatch
import SMT
import Synchronization

/// Interrupts one `Z3Solver`'s running check from any thread, and enforces its time limit.
///
/// The context pointer lives under a `Mutex` with a flag for "a check is running"; `Z3_interrupt`
/// is only ever called while holding that lock, and the solver's `deinit` clears the pointer
/// under the same lock before it deletes the context, so an interrupt that arrives late is a
/// no-op rather than a use after free.
///
/// An interrupt can land in the short window before Z3 starts listening (Z3 resets its cancel
/// flag when a check begins), so it is repeated every 100 ms while the same check runs.
final class Z3InterruptHandle: SolverInterruptHandle {
    private struct State {
        var context: Z3_context?
        var isRunning = false
        /// Counts checks, so that a stale timer cannot stop a later check.
        var generation = 0
        var wasCanceled = false
        var didExpire = false
    }

    /// What `end()` reports about why a check may have stopped early.
    struct Outcome {
        /// `interrupt()` was called while the check ran.
        let wasCanceled: Bool
        /// The backup timer fired while the check ran.
        let didExpire: Bool
    }

    private let state: Mutex<State>
    /// Runs the backup timer and the repeated interrupts; a serial queue gets its own thread,
    /// so it fires even while every cooperative thread is blocked in a check.
    private let queue = DispatchQueue(label: "certus.z3.interrupt")
    private static let repeatInterval = DispatchTimeInterval.milliseconds(100)
    private static let maximumRepeats = 100

    init(context: Z3_context?) {
        // The solver keeps using its own copy of the pointer, so this copy is rebuilt from the
        // address: the value moved into the mutex is then disconnected from the caller's, as
        // `sending` demands. Sharing is sound because Z3 documents `Z3_interrupt` as callable
        // from another thread, and the lock orders it before `Z3_del_context`.
        let address = Int(bitPattern: context)
        state = Mutex(State(context: OpaquePointer(bitPattern: address)))
    }

    /// Asks the running check (if any) to stop soon with `unknown(reason: "canceled")`.
    func interrupt() {
        let generation: Int? = state.withLock { s in
            guard s.isRunning, let context = s.context else { return nil }
            s.wasCanceled = true
            Z3_interrupt(context)
            return s.generation
        }
        if let generation { scheduleRepeat(generation: generation, remaining: Self.maximumRepeats) }
    }

    /// Marks a check as running and returns its generation.
    func begin() -> Int {
        state.withLock { s in
            s.isRunning = true
            s.wasCanceled = false
            s.didExpire = false
            s.generation += 1
            return s.generation
        }
    }

    /// Marks the check as finished; interrupts that come later do nothing.
    func end() -> Outcome {
        state.withLock { s in
            s.isRunning = false
            return Outcome(wasCanceled: s.wasCanceled, didExpire: s.didExpire)
        }
    }

    /// Interrupts check `generation` after `delay` if it is still running, as a backup for Z3's
    /// own `timeout` parameter. Cancel the returned item when the check ends.
    func expire(generation: Int, after delay: Duration) -> DispatchWorkItem {
        let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
        let item = DispatchWorkItem { [self] in
            let fired = state.withLock { s in
                guard s.isRunning, s.generation == generation, let context = s.context else { return false }
                s.didExpire = true
                Z3_interrupt(context)
                return true
            }
            if fired { scheduleRepeat(generation: generation, remaining: Self.maximumRepeats) }
        }
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)), execute: item)
        return item
    }

    /// Forgets the context; called by the solver's `deinit` before `Z3_del_context`.
    func invalidate() {
        state.withLock { s in
            s.context = nil
            s.isRunning = false
        }
    }

    private func scheduleRepeat(generation: Int, remaining: Int) {
        guard remaining > 0 else { return }
        queue.asyncAfter(deadline: .now() + Self.repeatInterval) { [self] in
            let stillRunning = state.withLock { s in
                guard s.isRunning, s.generation == generation, let context = s.context else { return false }
                Z3_interrupt(context)
                return true
            }
            if stillRunning { scheduleRepeat(generation: generation, remaining: remaining - 1) }
        }
    }
}
