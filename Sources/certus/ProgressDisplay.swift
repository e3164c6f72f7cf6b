import Dispatch
import Foundation
import Verifier

/// Shows a run's progress on standard error once a second: the phase, cases closed,
/// branch-and-bound nodes done and open, the best proved bound, the share of the region closed,
/// and the time since the command began. On a terminal the line is rewritten in place and
/// erased before the verdict is printed; otherwise (`--progress` into a file or pipe) each
/// report is a line of its own starting `progress:`.
///
/// The timer runs on a private dispatch queue, so it reports while the verifier holds every
/// cooperative thread.
final class ProgressDisplay: Sendable {
    let meter = VerificationProgress()
    private let start: ContinuousClock.Instant
    private let inPlace: Bool
    private let queue = DispatchQueue(label: "certus.progress")
    private nonisolated(unsafe) var timer: (any DispatchSourceTimer)?

    /// Whether to show progress: when asked, or when standard error is a terminal.
    static func wanted(requested: Bool) -> Bool {
        requested || isatty(STDERR_FILENO) == 1
    }

    init(start: ContinuousClock.Instant) {
        self.start = start
        inPlace = isatty(STDERR_FILENO) == 1
    }

    /// Reports every second from now on.
    func resume() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1))
        timer.setEventHandler { [self] in write(Self.line(meter.snapshot(), elapsed: ContinuousClock.now - start)) }
        queue.sync { self.timer = timer }
        timer.resume()
    }

    /// Stops reporting and, on a terminal, erases the line; safe to call more than once and
    /// from any thread.
    func stop() {
        queue.sync {
            timer?.cancel()
            if timer != nil && inPlace { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            timer = nil
        }
    }

    private func write(_ line: String) {
        let text = inPlace ? "\r\u{1B}[K" + line : "progress: " + line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// One report, e.g. `branch and bound: cases 3/9 closed, 1204 nodes done, 311 open,
    /// bound -0.0412, region 71.3% closed, 12.0 s`.
    static func line(_ snapshot: VerificationProgress.Snapshot, elapsed: Duration) -> String {
        var parts = ["cases \(snapshot.casesClosed)/\(snapshot.caseCount) closed"]
        if snapshot.nodesDone > 0 || snapshot.nodesOpen > 0 {
            parts.append("\(snapshot.nodesDone) nodes done, \(snapshot.nodesOpen) open")
        }
        if let bound = snapshot.bestBound { parts.append("bound \(String(format: "%.4g", bound))") }
        if let share = snapshot.regionClosed { parts.append("region \(String(format: "%.1f", share * 100))% closed") }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        parts.append(String(format: "%.1f s", seconds))
        return "\(snapshot.phase.rawValue): " + parts.joined(separator: ", ")
    }
}
