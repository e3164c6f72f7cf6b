import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Verifier

/// The limit on alive solver threads must count a thread the caller stopped waiting for until
/// that thread really ends; otherwise abandoned Z3 checks pile up (MNIST fc: 3.7 GB).
@Suite struct ThreadPermitsTests {
    @Test func permitsAreCountedAndReturnedOnce() {
        let permits = ThreadPermits(count: 2)
        let first = permits.tryAcquire()
        let second = permits.tryAcquire()
        #expect(first != nil && second != nil)
        #expect(permits.tryAcquire() == nil)
        first?.release()
        first?.release()
        #expect(permits.available == 1)
        second?.release()
        #expect(permits.available == 2)
    }

    @Test func abandonedThreadKeepsItsPermitUntilItEnds() async throws {
        let permits = ThreadPermits(count: 1)
        let permit = try #require(permits.tryAcquire())
        let finished = Finished()
        let gate = DispatchSemaphore(value: 0)
        // The body ignores interrupts, as Z3 does while it encodes, and runs until the test
        // opens the gate, long after the caller stopped waiting.
        let answer = await BlockingWork.runCancellable(limit: .milliseconds(50), abandoned: "abandoned", permit: permit) { _ in
            gate.wait()
            finished.mark()
            return "done"
        }
        #expect(answer == "abandoned")
        #expect(!finished.value)
        #expect(permits.tryAcquire() == nil, "the abandoned thread still runs, so its permit is still taken")
        gate.signal()
        // However loaded the machine, the thread ends and returns its permit.
        for _ in 0..<600 where permits.available == 0 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(finished.value)
        #expect(permits.available == 1)
    }
}

/// A flag set from another thread.
private final class Finished: Sendable {
    private let done = Mutex(false)
    func mark() { done.withLock { $0 = true } }
    var value: Bool { done.withLock { $0 } }
}
