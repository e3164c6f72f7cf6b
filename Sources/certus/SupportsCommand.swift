import ArgumentParser
import ONNXImport

/// `certus supports --CAPABILITY`: the VNN-LIB 2.0 standard's capability report, so that tools
/// can tell which queries and networks Certus verifies before sending them.
struct SupportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supports",
        abstract: "Report one capability as the VNN-LIB 2.0 standard defines it (exactly one flag)."
    )

    @Flag(help: "Minimum and maximum ONNX opset versions.") var onnxOpsetVersions = false
    @Flag(help: "Element types verified soundly.") var onnxElementTypes = false
    @Flag(help: "Supported ONNX operators.") var onnxOperators = false
    @Flag(help: "Minimum and maximum VNN-LIB versions.") var vnnlibVersions = false
    @Flag(help: "Hidden-node theories.") var hiddenNodeTheories = false
    @Flag(name: [.customLong("multiple-input-output-theories"), .customLong("multiple-inputs-output-theories")],
          help: "Multiple input/output theories.") var multipleInputOutputTheories = false
    @Flag(help: "Multiple-network theories.") var multipleNetworkTheories = false
    @Flag(help: "Multiple-node comparison theories.") var multipleNodeComparisonTheories = false
    @Flag(help: "Arithmetic complexity theories.") var arithmeticComplexityTheories = false
    @Flag(help: "Whether disjunctions get more than a DNF expansion.") var optimisedDisjunctiveReasoning = false
    @Flag(help: "Whether --serialise-assignments is supported.") var serialiseAssignments = false

    /// Each capability and its answer, one item a line.
    private var answers: [(Bool, [String])] {
        [
            // The opsets of the models the importer is tested on (fixtures and VNN-COMP 2021).
            (onnxOpsetVersions, ["8", "13"]),
            // Proofs are over the reals; float types are verified only with --float-as-real.
            (onnxElementTypes, ["real"]),
            (onnxOperators, ONNXLoader.supportedOperators),
            (vnnlibVersions, ["1.0", "2.1"]),
            (hiddenNodeTheories, ["NH", "H"]),
            // The ONNX importer reads graphs with one input and one output.
            (multipleInputOutputTheories, ["SIO"]),
            (multipleNetworkTheories, ["SNET", "MENET", "MINET", "MNET"]),
            (multipleNodeComparisonTheories, ["SNC", "MNC"]),
            (arithmeticComplexityTheories, ["BND", "OUTC", "LIN"]),
            // Cases are expanded into DNF, then grouped by input box for branch and bound.
            (optimisedDisjunctiveReasoning, ["false"]),
            (serialiseAssignments, ["false"]),
        ]
    }

    func validate() throws {
        guard answers.filter(\.0).count == 1 else { throw ValidationError("give exactly one capability flag, e.g. --vnnlib-versions") }
    }

    func run() throws {
        for (asked, lines) in answers where asked { print(lines.joined(separator: "\n")) }
    }
}
