import ArgumentParser
import Bounds
import CertusKit
import Foundation

/// `certus bounds MODEL PROPERTY [--method interval|linear|lagrangian|all] [--iterations N]
/// [--json] [--trace]`: sound bounds of every output and constraint slack for each case of the
/// property, whether each method proves the case unreachable, unstable ReLUs per layer, time.
struct BoundsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounds",
        abstract: "Print sound bounds of a network over each case of a VNN-LIB property, per bounding method.",
        discussion: """
        For each case and method: the proved lower and upper bound of every output, the bounds of \
        each unsafe constraint's expression (its slack), whether the method proves the case \
        unreachable (and how), the unstable ReLUs per layer and the time. Methods: interval \
        propagation, linear relaxation (CROWN/DeepPoly back-substitution with optimised slopes), \
        and the Lagrangian dual of Dvijotham et al. 2018. With --json, one object: \
        {"model", "property", "methods": [{"method", "seconds", "cases": [{"case", "outputs", \
        "proved", "unstable", ...}]}]}; infinite bounds are null.
        """
    )

    @Argument(help: "The network (ONNX).") var model: String
    @Argument(help: "The property (VNN-LIB).") var property: String
    @Option(help: "The bounding method, or all of them from cheapest to tightest.") var method: BoundsMethodArgument = .all
    @Option(help: "Lagrangian iterations per objective.") var iterations: Int = 100
    @Option(help: "Slope (alpha) optimisation steps for the linear relaxation.") var slopeIterations: Int = 20
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Print the Lagrangian bound after every iteration (the best never gets worse).") var trace = false

    func validate() throws {
        if iterations < 0 { throw ValidationError("--iterations must be at least 0") }
        if slopeIterations < 0 { throw ValidationError("--slope-iterations must be at least 0") }
    }

    func run() async throws {
        try await ErrorReporting.guarding {
            let instance = try Instance.load(model: model, property: property)
            let options = BoundsOptions(slopeIterations: slopeIterations, lagrangianIterations: iterations,
                                        tightenReportedBounds: true, recordTraces: trace)
            let report = try BoundsAnalyzer(options: options).report(model: model, property: property,
                                                                     specification: instance.specification,
                                                                     network: instance.network, methods: method.methods)
            if json {
                print(String(decoding: try report.jsonData(), as: UTF8.self))
            } else {
                print(report.text(traces: trace))
            }
        }
    }
}
