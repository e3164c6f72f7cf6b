import Foundation
import Verifier

extension RunGuard {
    /// The guard of one `certus verify` run, armed: signals, the memory limit, and (when given)
    /// the time limit counted from `start`, the moment the command began.
    /// - Parameters:
    ///   - memoryLimitMiB: the user's `--memory-limit`, or nil for `MemoryUsage.defaultLimit`.
    ///   - timeoutWord: the word printed for a timeout in text mode.
    ///   - progress: the run's counters, for the node counts of the JSON object.
    ///   - beforeReport: runs before the guard prints (to erase a progress line).
    static func armedForVerify(model: String, property: String, result: String?, json: Bool,
                               timeout: Double?, memoryLimitMiB: Int?, start: ContinuousClock.Instant,
                               timeoutWord: String = "timeout", progress: VerificationProgress? = nil,
                               beforeReport: @escaping @Sendable () -> Void = {}) -> RunGuard {
        let render: Renderer
        if json {
            render = { word, reason in
                beforeReport()
                let output = VerifyOutput(model: model, property: property, result: VerifyOutput.Result(rawValue: word) ?? .unknown,
                                          reason: reason, seconds: VerifyOutput.seconds(since: start),
                                          progress: progress?.snapshot())
                return output.text + "\n"
            }
        } else {
            // VNN-LIB 2.0 spells a timeout `timed-out`; VNN-COMP's result files say `timeout`.
            render = { word, _ in
                beforeReport()
                return (word == "timeout" ? timeoutWord : word) + "\n"
            }
        }
        let runGuard = RunGuard(resultPath: result, render: render)
        runGuard.armSignals()
        let limit = memoryLimitMiB.map { $0.multipliedReportingOverflow(by: 1 << 20) }
        runGuard.arm(memoryLimit: limit.map { $0.overflow ? Int.max : $0.partialValue } ?? MemoryUsage.defaultLimit)
        if let timeout { runGuard.arm(deadline: start + .seconds(timeout), limit: timeout) }
        return runGuard
    }
}
