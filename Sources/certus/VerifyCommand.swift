import ArgumentParser
import CertusKit
import Foundation
import NetworkIR
import SMT
import VNNLIB
import Verifier
import Z3Backend

/// `certus verify MODEL PROPERTY [--timeout S] [--result FILE] [--json]` (VNN-LIB 1.0), or
/// `certus verify QUERY --network NAME=MODEL ... [--timeout S]` (VNN-LIB 2.0, the standard's form).
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove a VNN-LIB property of an ONNX network (unsat) or find a checked counterexample (sat).",
        discussion: """
        The first line of output is sat, unsat, unknown or timeout. For sat, the counterexample \
        follows in VNN-COMP form, ((X_0 v) ... (Y_0 v) ...); it has been run through the network \
        and lies in the unsafe set exactly on the float64 outputs.

        With a VNN-LIB 2.0 query instead (one file argument and --network NAME=MODEL.onnx for \
        each declared network not marked equal-to), the first line is sat, unsat, unknown or \
        timed-out, and for sat every declared variable follows in the standard's form: \
        NAME TYPE [shape], then its values one a line, each network's outputs replayed on the \
        original model.

        With --json, one object instead, for every outcome including bad input: its form is \
        docs/schema/verify-output.schema.json. Progress goes to standard error every second when \
        it is a terminal or --progress is given. Exit status: 0 for any verdict, 2 for bad input \
        (one error: line), 64 for a usage error.
        """
    )

    @Argument(help: "The network (ONNX); with --network, the VNN-LIB 2.0 query.") var model: String
    @Argument(help: "The property (VNN-LIB 1.0); it describes the unsafe set.") var property: String?
    @Option(name: .customLong("network"), help: "VNN-LIB 2.0: the model of a declared network, NAME=MODEL.onnx (repeat per network).")
    var networks: [String] = []
    @Flag(help: "VNN-LIB 2.0: verify float16/32/64 declarations over the reals (not sound for floating-point semantics).")
    var floatAsReal = false
    @Option(help: "Wall-clock limit in seconds for the whole run.") var timeout: Double?
    @Option(help: "Also write the result (VNN-COMP result file) to this path, atomically.") var result: String?
    @Flag(help: "Print one JSON object instead of the VNN-COMP text.") var json = false
    @Option(help: "Seed for sampling and attacks (runs are deterministic per seed).") var seed: UInt64 = 0
    @Option(help: "Parallel jobs (default: number of cores).") var jobs: Int?
    @Flag(help: "Skip sound bounds before Z3 (the plain exact encoding; for comparison).") var noBounds = false
    @Flag(help: "Skip sampling and gradient attack.") var noAttack = false
    @Option(help: "Branch-and-bound nodes with at most this many unstable ReLUs go to Z3 (default 0).") var leafThreshold: Int?
    @Flag(help: "Show progress on standard error every second: phase, cases closed, nodes done and open, best proved bound, share of the region closed, elapsed time (the default when standard error is a terminal).")
    var progress = false
    @Flag(help: "Print branch-and-bound statistics on standard error as they happen.") var verbose = false
    @Option(help: "Decision procedure after bounds: bab is branch and bound with Z3 at the leaves, exact is one Z3 query per case.")
    var engine: VerifierOptions.Engine = .branchAndBound
    @Option(help: "Stop with unknown when resident memory exceeds this many MiB (default: 3/4 of the machine's memory).")
    var memoryLimit: Int?
    @Option(help: "For unsat, write a proof certificate here (docs/CERTIFICATES.md); check it with certus certify.")
    var proof: String?

    func validate() throws {
        if let timeout, !(timeout > 0) || !timeout.isFinite {
            throw ValidationError("--timeout must be a positive number of seconds")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let memoryLimit, memoryLimit < 1 { throw ValidationError("--memory-limit must be at least 1 (MiB)") }
        if proof != nil && (property == nil || engine != .branchAndBound || noBounds) {
            throw ValidationError("--proof needs MODEL PROPERTY, the bab engine and bounds")
        }
        if property == nil {
            if networks.isEmpty { throw ValidationError("give MODEL PROPERTY (VNN-LIB 1.0) or QUERY --network NAME=MODEL (VNN-LIB 2.0)") }
            if json { throw ValidationError("--json is available for VNN-LIB 1.0 properties only") }
        } else if !networks.isEmpty || floatAsReal {
            throw ValidationError("--network and --float-as-real go with a VNN-LIB 2.0 query alone: QUERY --network NAME=MODEL")
        }
    }

    /// The longest time limit taken literally (about 32 years); longer ones mean the same, and
    /// a `Duration` cannot hold every `Double` (`--timeout 1e300` would trap).
    static let maximumTimeout: Double = 1e9

    func run() async throws {
        let start = ContinuousClock.now
        let timeout = self.timeout.map { min($0, Self.maximumTimeout) }
        let printer = ProgressDisplay.wanted(requested: progress) ? ProgressDisplay(start: start) : nil
        let meter = printer?.meter ?? VerificationProgress()
        guard let property else { try await runQuery(start: start, timeout: timeout, printer: printer, meter: meter) }
        let runGuard = RunGuard.armedForVerify(model: model, property: property, result: result, json: json,
                                               timeout: timeout, memoryLimitMiB: memoryLimit, start: start,
                                               progress: meter, beforeReport: { printer?.stop() })
        printer?.resume()
        try await ErrorReporting.guarding {
            let instance: Instance
            do {
                instance = try Instance.load(model: model, property: property)
            } catch {
                // The `error:` line and exit status 2 are this run's outcome: a signal or limit
                // arriving while they are reported must not turn them into `timeout`.
                runGuard.claimOrWaitForExit()
                printer?.stop()
                if json, let error = error as? InputError {
                    print(VerifyOutput(model: model, property: property, result: .error, reason: error.description,
                                       seconds: VerifyOutput.seconds(since: start), progress: nil).text)
                }
                throw error
            }
            if proof != nil, let obstacle = Self.proofObstacle(instance.network) {
                runGuard.claimOrWaitForExit()
                printer?.stop()
                let error = InputError(description: "\(model): --proof is not available: \(obstacle)")
                if json {
                    print(VerifyOutput(model: model, property: property, result: .error, reason: error.description,
                                       seconds: VerifyOutput.seconds(since: start), progress: nil).text)
                }
                throw error
            }
            var options = verifierOptions(timeout: timeout)
            options.progressMeter = meter
            options.proofRecorder = try proof.map { try ProofOutput.open($0, for: instance, model: model, property: property) }
            let report = await instance.verify(options: options, startedAt: start)
            runGuard.claimOrWaitForExit()  // from here on, a signal or limit no longer replaces the verdict
            printer?.stop()
            let text = ResultText.vnncomp(report.verdict)
            if let result { try AtomicFile.write(text, to: result) }
            if json {
                print(VerifyOutput(report, model: model, property: property).text)
            } else {
                print(text, terminator: "")
                Self.noteUnknown(report.verdict)
                Self.noteBound(report)
            }
            Self.noteEmptiness(instance.specification)
            try ProofOutput.close(options.proofRecorder, verdict: report.verdict)
        }
        // A solver thread that ignored its interrupt may still be inside Z3; exiting through
        // the C library's exit handlers would tear Z3's globals down under it. The verdict is
        // printed and the result file renamed into place, so leave at once.
        fflush(nil)
        _exit(0)
    }

    /// Says on standard error why an `unknown` verdict is unknown.
    private static func noteUnknown(_ verdict: Verdict) {
        if case let .unknown(reason) = verdict { FileHandle.standardError.write(Data("note: \(reason)\n".utf8)) }
    }

    /// Says on standard error how far the bounds came when the run ended undecided.
    private static func noteBound(_ report: VerificationReport) {
        guard let bound = report.lowestUndecidedBound else { return }
        let text = String(format: "%.6g", bound)
        fflush(nil)  // after the verdict word on standard output, not interleaved with it
        FileHandle.standardError.write(Data("note: best bound proved: every undecided case's slack is at least \(text) over its region (0 or more would prove it)\n".utf8))
    }

    /// Says on standard error which bounds empty the input region, when they do.
    private static func noteEmptiness(_ specification: Specification) {
        if let reason = specification.emptinessReason {
            FileHandle.standardError.write(Data("note: unsat without search: \(reason)\n".utf8))
        }
    }

    /// The options every form of the command shares.
    private func verifierOptions(timeout: Double?) -> VerifierOptions {
        var options = VerifierOptions(timeout: timeout.map { .seconds($0) })
        options.seed = seed
        options.usesBounds = !noBounds
        options.usesAttack = !noAttack
        if let jobs { options.jobs = jobs }
        options.leafThreshold = leafThreshold.map { max(0, $0) }
        if verbose {
            options.progress = { line in FileHandle.standardError.write(Data("progress: \(line)\n".utf8)) }
        }
        options.engine = engine
        return options
    }

    /// The VNN-LIB 2.0 form: one query, the models by `--network`, the standard's output
    /// (`timed-out` for a timeout; for `sat`, every declared variable with its values).
    private func runQuery(start: ContinuousClock.Instant, timeout: Double?, printer: ProgressDisplay?,
                          meter: VerificationProgress) async throws -> Never {
        let runGuard = RunGuard.armedForVerify(model: model, property: model, result: result, json: false,
                                               timeout: timeout, memoryLimitMiB: memoryLimit, start: start,
                                               timeoutWord: "timed-out", beforeReport: { printer?.stop() })
        printer?.resume()
        try await ErrorReporting.guarding {
            let problem: QueryProblem
            do {
                problem = try QueryInstance.load(query: model, networks: networks, floatAsReal: floatAsReal)
            } catch {
                runGuard.claimOrWaitForExit()
                printer?.stop()
                throw error
            }
            var options = verifierOptions(timeout: timeout)
            options.progressMeter = meter
            let report = await problem.verify(options: options, makeSolver: { Z3Solver() }, startedAt: start)
            runGuard.claimOrWaitForExit()
            printer?.stop()
            var text: String
            switch report.verdict {
            case let .violated(cex): text = "sat\n" + problem.assignmentText(cex)
            case .timeout: text = "timed-out\n"
            default: text = report.verdict.word.rawValue + "\n"
            }
            if let result { try AtomicFile.write(text, to: result) }
            print(text, terminator: "")
            Self.noteUnknown(report.verdict)
            Self.noteBound(report)
            Self.noteEmptiness(problem.specification)
        }
        fflush(nil)
        _exit(0)
    }

    /// Why proof certificates cannot describe `network`, or nil when they can.
    static func proofObstacle(_ network: Network) -> String? {
        if network.hasSmoothActivations { return "the network has sigmoid or tanh layers, which proof certificates cannot describe" }
        if network.hasSparseLayers {
            return "the network has convolutions too large to store densely, and the certificate checker reads dense layers only"
        }
        return nil
    }
}
