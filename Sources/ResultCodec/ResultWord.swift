/// The first word of a VNN-COMP result: what a verifier answered on one instance, normalised
/// from the words the competition's tools write.
public enum ResultWord: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The property is violated: a counterexample exists (`sat`, 2021's `violated`).
    case sat
    /// The property holds (`unsat`, 2021's `holds`).
    case unsat
    /// No decision.
    case unknown
    /// The verifier ran out of time (its own word, or the harness's kill).
    case timeout
    /// The verifier failed, or wrote something that is not a result.
    case error

    /// Whether the word decides the instance.
    public var isDecided: Bool { self == .sat || self == .unsat }

    public static func < (a: ResultWord, b: ResultWord) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }

    /// Reads one result word, exactly: the whole token must be one of the words VNN-COMP uses
    /// (`sat`, `unsat`, `violated`, `holds`, `unknown`, `timeout`, `run_instance_timeout`,
    /// `prepare_instance_timeout`, `error`, `error_exit_code_N`), compared without regard to
    /// case (2021's CSVs write `SAT`/`UNSAT`). Anything else is nil. SoundnessBench's `eval.py`
    /// tests substrings, so `unsat` counts as sat there and `unsafe` as unsat; here neither
    /// happens.
    public static func parse(word: String) -> ResultWord? {
        let token = word.lowercased()
        switch token {
        case "sat", "violated": return .sat
        case "unsat", "holds": return .unsat
        case "unknown": return .unknown
        case "timeout", "run_instance_timeout", "prepare_instance_timeout": return .timeout
        case "error": return .error
        default:
            let prefix = "error_exit_code_"
            if token.hasPrefix(prefix) {
                let code = token.dropFirst(prefix.count)
                if code.allSatisfy(\.isASCII), Int(code) != nil { return .error }
            }
            return nil
        }
    }
}
