import Synchronization

/// A counting limit on blocking solver threads that are *alive*, including threads whose result
/// nobody awaits any more.
///
/// Why: a Z3 check cannot always be interrupted (encoding a 784-input network in exact
/// rationals takes about 4 s and runs to completion, and some preprocessing ignores the time
/// limit), so `BlockingWork` stops waiting for it and lets the thread finish on its own.
/// Without a limit, branch and bound kept starting leaf checks while abandoned ones still ran:
/// on MNIST fc (mnist-net_256x4, prop_0_0.03) they held 3.7 GB and most of the CPU. A permit
/// is taken before a thread starts and returned when the thread ends, not when its caller stops
/// waiting.
final class ThreadPermits: Sendable {
    private let free: Mutex<Int>

    /// - Parameter count: how many threads may be alive at once (at least one).
    init(count: Int) {
        free = Mutex(max(1, count))
    }

    /// Takes a permit if one is free.
    func tryAcquire() -> Permit? {
        let granted = free.withLock { count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
        return granted ? Permit(owner: self) : nil
    }

    /// Permits free right now.
    var available: Int { free.withLock { $0 } }

    fileprivate func giveBack() {
        free.withLock { $0 += 1 }
    }

    /// One taken permit; returned by the first `release()`, later calls do nothing.
    final class Permit: Sendable {
        private let owner: ThreadPermits
        private let released = Mutex(false)

        fileprivate init(owner: ThreadPermits) {
            self.owner = owner
        }

        func release() {
            let first = released.withLock { done in
                defer { done = true }
                return !done
            }
            if first { owner.giveBack() }
        }

        deinit {
            release()
        }
    }
}
