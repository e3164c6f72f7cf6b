import Foundation

/// How `BenchRunner` runs verifiers.
public struct RunnerOptions: Sendable {
    /// The verifiers, in report order.
    public var verifiers: [VerifierSpec]
    /// Seconds per instance; nil uses each instance's timeout from `instances.csv`.
    public var timeout: Double?
    /// Runs in parallel (each a whole verifier process: mind the cores).
    public var jobs: Int
    /// Where CSVs, result files, logs and reports go.
    public var output: URL
    /// Seconds past the timeout before the hard kill (VNN-COMP allows 60).
    public var killGrace: Double
    /// Seconds allowed for `prepare_instance.sh` (VNN-COMP: 600).
    public var prepareLimit: Double
    /// Extra environment variables for the verifiers.
    public var environment: [String: String]

    public init(verifiers: [VerifierSpec], timeout: Double? = nil, jobs: Int = 1, output: URL, killGrace: Double = 5,
                prepareLimit: Double = 600, environment: [String: String] = [:]) {
        self.verifiers = verifiers
        self.timeout = timeout
        self.jobs = jobs
        self.output = output
        self.killGrace = killGrace
        self.prepareLimit = prepareLimit
        self.environment = environment
    }

    /// Checks ranges and that verifier names are distinct.
    /// - Throws: `SoundnessBenchError.invalidOption` / `.invalidVerifier`.
    public func validate() throws {
        guard !verifiers.isEmpty else {
            throw SoundnessBenchError.invalidOption(name: "--verifier", reason: "give at least one verifier (--verifier or --vnncomp-scripts)")
        }
        var names = Set<String>()
        for v in verifiers where !names.insert(v.name).inserted {
            throw SoundnessBenchError.invalidVerifier(spec: v.name, reason: "two verifiers have this name")
        }
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw SoundnessBenchError.invalidOption(name: "--timeout", reason: "must be a positive number of seconds")
        }
        guard (1...256).contains(jobs) else { throw SoundnessBenchError.invalidOption(name: "--jobs", reason: "must be 1…256") }
        guard killGrace >= 0, killGrace.isFinite, prepareLimit > 0, prepareLimit.isFinite else {
            throw SoundnessBenchError.invalidOption(name: "--kill-grace", reason: "must be a non-negative number of seconds")
        }
    }
}
