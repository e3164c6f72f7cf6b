import Foundation

extension RunGuard {
    /// The guard of one `certus verify` run, armed: signals, the memory limit, and (when given)
    /// the time limit counted from `start`, the moment the command began.
    /// - Parameters:
    ///   - memoryLimitMiB: the user's `--memory-limit`, or nil for `MemoryUsage.defaultLimit`.
    ///   - timeoutWord: the word printed for a timeout in text mode.
    static func armedForVerify(model: String, property: String, result: String?, json: Bool,
                               timeout: Double?, memoryLimitMiB: Int?, start: ContinuousClock.Instant,
                               timeoutWord: String = "timeout") -> RunGuard {
        let render: Renderer
        if json {
            render = { word, reason in jsonText(model: model, property: property, word: word, reason: reason, start: start) }
        } else {
            // VNN-LIB 2.0 spells a timeout `timed-out`; VNN-COMP's result files say `timeout`.
            render = { word, _ in (word == "timeout" ? timeoutWord : word) + "\n" }
        }
        let runGuard = RunGuard(resultPath: result, render: render)
        runGuard.armSignals()
        let limit = memoryLimitMiB.map { $0.multipliedReportingOverflow(by: 1 << 20) }
        runGuard.arm(memoryLimit: limit.map { $0.overflow ? Int.max : $0.partialValue } ?? MemoryUsage.defaultLimit)
        if let timeout { runGuard.arm(deadline: start + .seconds(timeout), limit: timeout) }
        return runGuard
    }

    /// The one JSON object `--json` prints, for a verdict the guard reports.
    private static func jsonText(model: String, property: String, word: String, reason: String,
                                 start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let object: [String: Any] = [
            "model": model, "property": property, "result": word, "reason": reason,
            "seconds": Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{\"result\":\"\(word)\"}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
