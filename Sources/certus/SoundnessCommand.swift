import ArgumentParser
import Foundation
import SoundnessBench

/// `certus soundness generate|run`: a soundness bench in the manner of SoundnessBench (Zhou et
/// al. 2024, arXiv 2412.03154).
struct SoundnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soundness",
        abstract: "Generate instances with hidden counterexamples, and run verifiers on them to catch unsound claims.",
        subcommands: [Generate.self, Run.self]
    )

    /// Maps the bench's errors to `error:` + exit status 2.
    static func input<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SoundnessBenchError {
            throw InputError(description: error.description)
        }
    }

    /// `certus soundness generate --out DIR [--seed N] [--models SPEC...]`.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a benchmark in VNN-COMP layout with planted, hidden counterexamples (answers in DIR/hidden/).",
            discussion: """
            Each model SPEC is mlp:N:H1xH2:CLASSES:METHOD[:U+C] or cnn:CxHxW:OUTkKsS,...:H1x...:CLASSES:pocket[:U+C], \
            for example mlp:10:32x32:2:pocket:5+4 or cnn:1x8x8:4k3s1:32:2:pocket. METHOD is pocket (a narrow ReLU \
            pocket built into the weights at a random point of the box) or trained (a small MLP trained so that a \
            planted box corner is misclassified, as SoundnessBench does; at least 8 inputs). U+C: instances with a \
            planted counterexample and without. Every planted counterexample is checked on the written ONNX file \
            in float64 and float32, and kept only if sampling and PGD with many restarts miss it.
            """
        )

        @Option(help: "The folder to create (must not already hold a benchmark).") var out: String
        @Option(help: "Seed for every random choice.") var seed: UInt64 = 1
        @Option(parsing: .upToNextOption, help: "Model specs (default: a mix of 15 MLPs and CNNs).") var models: [String] = []
        @Option(help: "Instances with a planted counterexample per model (trained models try one more).") var unverifiable = 5
        @Option(help: "Instances without one per model (trained models: one fewer).") var clean = 4
        @Option(help: "Per-instance timeout written to instances.csv, in seconds.") var timeout: Double = 60
        @Option(help: "PGD restarts of the hidden-ness attack.") var attackRestarts = 100
        @Option(help: "PGD steps per restart.") var attackSteps = 100
        @Option(help: "Uniform samples of the hidden-ness attack per box.") var attackSamples = 2000
        @Option(help: "Training epochs per round (trained method).") var epochs = 1500
        @Option(help: "Rounds of attack-then-narrow (or retrain) before a still-found instance is dropped.") var hidingRounds = 8

        func run() async throws {
            try await ErrorReporting.guarding {
                try await SoundnessCommand.input {
                    var options = GeneratorOptions(seed: seed, unverifiablePerModel: unverifiable, cleanPerModel: clean,
                                                   timeout: timeout,
                                                   attack: HidingAttack(restarts: attackRestarts, steps: attackSteps,
                                                                        uniformSamples: attackSamples),
                                                   hidingRounds: hidingRounds, trainingEpochs: epochs)
                    if !models.isEmpty { options.models = try models.map(ModelSpec.parse) }
                    let directory = URL(fileURLWithPath: out)
                    let summary = try BenchmarkGenerator(options: options).generate(into: directory) { line in
                        FileHandle.standardError.write(Data((line + "\n").utf8))
                    }
                    for note in summary.dropped {
                        FileHandle.standardError.write(Data("note: dropped \(note)\n".utf8))
                    }
                    print("wrote \(summary.instances.count) instances (\(summary.unverifiableCount) with a planted counterexample, "
                          + "\(summary.cleanCount) clean) to \(directory.path) in \(String(format: "%.1f", summary.seconds)) s; "
                          + "hidden/ holds the answers: keep it away from the verifiers under test")
                }
            }
        }
    }

    /// `certus soundness run --bench DIR --verifier NAME=TEMPLATE ... [--timeout S] [--jobs N]`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run verifiers on a benchmark, validate their counterexamples, and report unsound claims.",
            discussion: """
            A command template may use {onnx} {vnnlib} {result} {timeout} {proof}; without {result} the command's standard \
            output is read as the result. Example: --verifier 'certus=certus verify {onnx} {vnnlib} --timeout {timeout}'. \
            With {proof} (a path for a proof certificate, e.g. certus verify ... --proof {proof}) every unsat answer's \
            certificate is checked by the exact checker of certus certify; an invalid one counts as an unsound claim. \
            --vnncomp-scripts DIR runs a VNN-COMP tool folder (prepare_instance.sh, run_instance.sh). Results go to \
            OUT/<name>.csv (VNN-COMP form) and OUT/<name>/; the report to OUT/report.{md,json,html}. Exit status 1 \
            when any verifier makes an unsound claim or states an invalid counterexample, 2 for bad input.
            """
        )

        @Option(help: "The benchmark folder (instances.csv; hidden/labels.csv when generated).") var bench: String
        @Option(help: "A verifier as NAME=COMMAND_TEMPLATE (repeatable).") var verifier: [String] = []
        @Option(help: "A VNN-COMP tool folder, [NAME=]DIR (repeatable).") var vnncompScripts: [String] = []
        @Option(help: "Seconds per instance (default: instances.csv).") var timeout: Double?
        @Option(help: "Runs in parallel.") var jobs = 1
        @Option(help: "Output folder (default: BENCH/results).") var out: String?
        @Option(help: "Seconds past the timeout before the hard kill.") var killGrace: Double = 5
        @Flag(help: "No progress line.") var quiet = false

        func run() async throws {
            let failed = try await ErrorReporting.guarding {
                try await SoundnessCommand.input { () -> Bool in
                    let benchmark = try Benchmark(directory: URL(fileURLWithPath: bench))
                    let specs = try verifier.map(VerifierSpec.parse(template:)) + vnncompScripts.map(VerifierSpec.parse(scripts:))
                    let output = out.map { URL(fileURLWithPath: $0) } ?? benchmark.directory.appendingPathComponent("results")
                    let runner = try BenchRunner(benchmark: benchmark, options: RunnerOptions(
                        verifiers: specs, timeout: timeout, jobs: jobs, output: output, killGrace: killGrace))
                    let printer = ProgressPrinter(enabled: !quiet)
                    let records = try await runner.run { printer.show($0) }
                    printer.finish()
                    let report = runner.report(records)
                    let files = try report.write(to: output)
                    print(report.markdown, terminator: "")
                    print("reports: " + files.map(\.path).joined(separator: ", "))
                    return report.hasFindings
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// Prints the runner's progress on standard error: one line rewritten in place on a terminal,
/// otherwise a line every twentieth of the work.
struct ProgressPrinter: Sendable {
    let enabled: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1

    func show(_ progress: RunProgress) {
        guard enabled else { return }
        if isTerminal {
            FileHandle.standardError.write(Data(("\r" + progress.line + "   ").utf8))
        } else if progress.done == progress.total || progress.done % max(1, progress.total / 20) == 0 {
            FileHandle.standardError.write(Data((progress.line + "\n").utf8))
        }
    }

    func finish() {
        if enabled && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
