import ArgumentParser
import Foundation
import SoundnessBench

/// `certus crosscheck --bench DIR RESULTS.csv...`: compares verifiers' results on any
/// VNN-COMP benchmark.
struct CrosscheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosscheck",
        abstract: "Compare verifiers' VNN-COMP results CSVs, validate their counterexamples, and list disagreements.",
        discussion: """
        Each CSV (category,onnx,vnnlib,prepare_time,result,run_time) names one verifier by its file name; its \
        counterexamples are read from the folder of the same name next to it (<onnx stem>_<vnnlib stem>.counterexample, \
        as certus soundness run writes them). An unsat with a proof certificate there (<onnx stem>_<vnnlib stem>.proof.jsonl) \
        has it checked as certus certify does. Result words are matched exactly (sat/violated, unsat/holds, unknown, \
        timeout, error). The report goes to standard output as Markdown. Exit status 1 when an unsat claim is \
        refuted by a valid counterexample or by its own invalid certificate, or a counterexample is invalid, 2 for bad input.
        """
    )

    @Option(help: "The benchmark folder the CSVs refer to.") var bench: String
    @Argument(help: "Results CSVs, one per verifier.") var results: [String]
    @Option(help: "Also write the report as JSON to this file.") var json: String?
    @Option(help: "Also write the report as an HTML page to this file.") var html: String?

    func run() async throws {
        let failed = try await ErrorReporting.guarding {
            try await SoundnessCommand.input { () -> Bool in
                let outcome = try CrossCheck.run(benchmark: URL(fileURLWithPath: bench),
                                                 results: results.map { URL(fileURLWithPath: $0) })
                for (name, count) in outcome.skippedRows.sorted(by: { $0.key < $1.key }) {
                    FileHandle.standardError.write(Data("note: \(name): \(count) rows name files that are not in \(bench); skipped\n".utf8))
                }
                for name in outcome.withoutCounterexamples {
                    FileHandle.standardError.write(Data("note: \(name): no counterexample folder; its sat answers are unchecked\n".utf8))
                }
                if let json { try FileIO.write(try outcome.report.json(), to: URL(fileURLWithPath: json)) }
                if let html { try FileIO.write(outcome.report.html, to: URL(fileURLWithPath: html)) }
                print(outcome.report.markdown, terminator: "")
                return outcome.report.hasFindings
            }
        }
        if failed { throw ExitCode(1) }
    }
}
