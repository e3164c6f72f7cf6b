import Dispatch
import Foundation
import Synchronization

/// Keeps the promises `certus verify` makes to the harness that runs it, even when the run
/// itself cannot keep them: the whole run (reading the files included) ends at the time
/// limit; resident memory never grows past the memory limit; a SIGTERM or SIGINT (how
/// VNN-COMP harnesses stop a tool) ends the run at once. In each case the guard prints the
/// verdict word (`timeout`, or `unknown` for memory), writes it to the result file
/// atomically, explains on standard error, and exits with status 0.
///
/// The guard and the command race to report; whichever calls `claim()` first reports, the
/// other stays silent, so a verdict that is being written is never replaced by `timeout` and
/// a killed run leaves either the complete result or none (`AtomicFile`).
///
/// The checks run on a private dispatch queue, never on the threads doing the work, so they
/// fire while the parser or a solver holds every cooperative thread.
final class RunGuard {
    /// How the command prints a verdict word and its reason (VNN-COMP text or JSON).
    typealias Renderer = @Sendable (_ word: String, _ reason: String) -> String

    /// The time the deadline check allows beyond the time limit: the verifier itself stops
    /// 0.3 s after its deadline, so the guard only acts when something does not return.
    static let grace: Duration = .seconds(1)
    /// How often resident memory is read.
    static let memoryPollInterval: DispatchTimeInterval = .milliseconds(50)
    /// How long `armSignals` waits for libdispatch to register the signal sources (it takes
    /// microseconds; the bound only keeps a wedged dispatch from stalling the run).
    static let registrationWait: DispatchTimeInterval = .seconds(1)

    private let reporter: Reporter
    private let queue = DispatchQueue(label: "certus.run-guard")
    /// The armed sources, kept alive for the life of the guard (that is, of the run).
    private var sources: [any DispatchSourceProtocol] = []

    init(resultPath: String?, render: @escaping Renderer) {
        reporter = Reporter(resultPath: resultPath, render: render)
    }

    /// Whether the caller may report its verdict: true for the first caller only.
    func claim() -> Bool { reporter.claim() }

    /// Claims the right to report, or, when the guard got there first, waits for the guard's
    /// exit (which follows within milliseconds).
    func claimOrWaitForExit() {
        guard !claim() else { return }
        while true { sleep(1) }
    }

    /// Ends the run with `timeout` at `deadline` plus `grace`.
    func arm(deadline: ContinuousClock.Instant, limit: Double) {
        let remaining = max(.zero, deadline + Self.grace - .now)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = Int(min(remaining.components.seconds, Int64(Int.max / 1_000_000_000 - 1))) * 1_000_000_000
            + Int(remaining.components.attoseconds / 1_000_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds))
        let reporter = reporter
        timer.setEventHandler {
            reporter.stop(word: "timeout", reason: "the time limit of \(Self.format(limit)) s ran out (wall clock, reading the files included)")
        }
        keep(timer)
    }

    /// Ends the run with `unknown` when resident memory exceeds `limit` bytes. The first check
    /// runs here, before anything is read, so a limit below the process's own size stops even
    /// a run that would finish before the first poll.
    func arm(memoryLimit limit: Int) {
        let reporter = reporter
        let check: @Sendable () -> Void = {
            guard let resident = MemoryUsage.residentBytes(), resident > limit else { return }
            reporter.stop(word: "unknown", reason: "resident memory reached \((resident + (1 << 20) - 1) >> 20) MiB, over the limit of \(limit >> 20) MiB (--memory-limit); stopped before the system would kill the run")
        }
        queue.sync(execute: check)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.memoryPollInterval, repeating: Self.memoryPollInterval)
        timer.setEventHandler(handler: check)
        keep(timer)
    }

    /// Ends the run with `timeout` on SIGTERM or SIGINT. Returns once the sources are
    /// registered (at most `registrationWait` later), so a signal that arrives after this call
    /// is never lost.
    ///
    /// On Linux, libdispatch installs its own handler for a signal source's signal when it
    /// registers the source; until then the default action (termination, no result file)
    /// applies. On Darwin a signal source only observes signals, so the default action must be
    /// turned off (`SIG_IGN`) first. Either way the process-wide signal disposition is the only
    /// shared state the guard changes, and it must: that is how a process catches SIGTERM.
    func armSignals() {
        let registered = DispatchSemaphore(value: 0)
        let signals = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")]
        for (number, name) in signals {
            #if canImport(Darwin)
            signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let reporter = reporter
            source.setEventHandler {
                reporter.stop(word: "timeout", reason: "stopped by \(name) before a verdict was reached")
            }
            source.setRegistrationHandler { registered.signal() }
            keep(source)
        }
        for _ in signals { _ = registered.wait(timeout: .now() + Self.registrationWait) }
    }

    /// Starts `source` and keeps it alive as long as the guard.
    private func keep(_ source: any DispatchSourceProtocol) {
        sources.append(source)
        source.resume()
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }

    /// The part the event handlers share with the command: who reports, and how.
    final class Reporter: Sendable {
        private let resultPath: String?
        private let render: Renderer
        private let isClaimed = Atomic<Bool>(false)

        init(resultPath: String?, render: @escaping Renderer) {
            self.resultPath = resultPath
            self.render = render
        }

        func claim() -> Bool {
            isClaimed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        }

        /// Reports `word` (unless the command already claimed the report) and exits.
        func stop(word: String, reason: String) {
            guard claim() else { return }
            var status: Int32 = 0
            if let resultPath {
                do {
                    try AtomicFile.write(word + "\n", to: resultPath)
                } catch {
                    ErrorReporting.printError("\(error)")
                    status = 2
                }
            }
            FileHandle.standardOutput.write(Data(render(word, reason).utf8))
            FileHandle.standardError.write(Data("note: \(reason)\n".utf8))
            _exit(status)
        }
    }
}
