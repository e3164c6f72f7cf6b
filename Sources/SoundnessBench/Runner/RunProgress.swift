import Foundation
import ResultCodec

/// Where a run stands: shown as one line while the runner works.
public struct RunProgress: Sendable, Equatable {
    /// Runs finished and planned (instances × verifiers).
    public var done: Int
    public var total: Int
    /// Finished runs by verdict.
    public var counts: [ResultWord: Int]
    /// Seconds since the start.
    public var elapsed: Double

    /// The expected seconds left, from the mean time per finished run (nil before the first).
    public var remaining: Double? {
        guard done > 0 else { return nil }
        return elapsed / Double(done) * Double(total - done)
    }

    /// `[37/108] sat 12 unsat 20 unknown 1 timeout 4 error 0 | 1m12s elapsed, ~2m05s left`.
    public var line: String {
        let verdicts = ResultWord.allCases.map { "\($0.rawValue) \(counts[$0, default: 0])" }.joined(separator: " ")
        let left = remaining.map { ", ~\(Self.clock($0)) left" } ?? ""
        return "[\(done)/\(total)] \(verdicts) | \(Self.clock(elapsed)) elapsed\(left)"
    }

    /// `1h02m03s`, `2m05s`, `7s`.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm%02ds", s / 3600, (s / 60) % 60, s % 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
