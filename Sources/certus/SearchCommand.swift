import ArgumentParser
import Bounds
import CertusKit
import Foundation
import Search
import Z3Backend

/// `certus search MODEL PROPERTY [--span S[,S…]] [--spans N] [--dims K] [--layer L]
/// [--max-points N] [--timeout S] [--pruner none|interval|linear] [--json]`: the DLV
/// discretised manipulation search alone (Huang et al. 2017, "Safety Verification of Deep
/// Neural Networks"). Prints the counterexample or the coverage report; never `unsat`.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search a grid of manipulations of the property's input box for a counterexample (DLV).",
        discussion: """
        The grid moves K input dimensions (chosen by gradient saliency) by multiples of a span, \
        up to N spans each way from the box centre; by default span = half the box width and \
        N = 1, so the grid holds the box's corners, edge midpoints and centre. Blocks of grid \
        cells that sound bounds prove safe are skipped. With --layer L the grid lives in the \
        output of layer L, and violating hidden points are mapped back to inputs with Z3. \
        A counterexample is checked by running the network. "No counterexample on this grid" \
        is not a proof; the report says which grid was covered. With --json, one object: \
        {"outcome": "counterexample"|"none-on-grid"|"budget-exhausted", "grid": {"dimensions", \
        "spans", "steps"}, "pointsChecked", "cellsPruned", "pointsLeft", \
        "counterexample": {"x", "y"}|null}.
        """
    )

    @Argument(help: "The network (ONNX).") var model: String
    @Argument(help: "The property (VNN-LIB); it describes the unsafe set.") var property: String
    @Option(help: "Span: one value for every dimension, or one per dimension, comma-separated.") var span: String?
    @Option(help: "Number of spans each way from the centre.") var spans: Int = 1
    @Option(help: "Number of dimensions to manipulate (default: all that fit --max-points).") var dims: Int?
    @Option(help: "Search the output of this layer instead of the input.") var layer: Int?
    @Option(help: "Evaluate at most this many grid points.") var maxPoints: Int?
    @Option(help: "Wall-clock limit in seconds.") var timeout: Double?
    @Option(help: "Cell pruning: none, interval or linear.") var pruner: String = "linear"
    @Option(help: "Distance (max norm) within which Z3 must reproduce a hidden point.") var tolerance: Double = 1e-3
    @Flag(help: "Print one JSON object.") var json = false

    /// The spans given with --span.
    var spanValues: [Double]? {
        get throws {
            guard let span else { return nil }
            let values = span.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--span must be a number or comma-separated numbers, not '\(span)'")
            }
            return values.compactMap { $0 }
        }
    }

    func validate() throws {
        _ = try spanValues
        if spans < 1 { throw ValidationError("--spans must be at least 1") }
        if let dims, dims < 0 { throw ValidationError("--dims must not be negative") }
        if let maxPoints, maxPoints < 1 { throw ValidationError("--max-points must be at least 1") }
        if let timeout, !(timeout > 0) || !timeout.isFinite { throw ValidationError("--timeout must be a positive number of seconds") }
        if !["none", "interval", "linear"].contains(pruner) { throw ValidationError("--pruner must be none, interval or linear") }
        if !(tolerance >= 0) || !tolerance.isFinite { throw ValidationError("--tolerance must be a non-negative number") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let instance: Instance
        do {
            instance = try Instance.load(model: model, property: property)
        } catch let error as InputError {
            ErrorReporting.printError(error.description)
            throw ExitCode(2)
        }
        let network = instance.network, specification = instance.specification
        let cellPruner: (any CellPruner)?
        switch pruner {
        case "interval": cellPruner = IntervalCellPruner(network: network, specification: specification)
        case "linear": cellPruner = BoundsCellPruner(network: network, specification: specification)
        default: cellPruner = nil
        }
        let options = ManipulationSearch.Options(
            dimensions: dims, span: try spanValues, spans: spans, layer: layer, maxPoints: maxPoints,
            deadline: timeout.map { start + .seconds(min($0, VerifyCommand.maximumTimeout)) }, realizeTolerance: tolerance)
        let report: SearchReport
        do {
            let search = try ManipulationSearch(
                network: network, specification: specification, pruner: cellPruner,
                realizer: layer == nil ? nil : SMTRealizer(network: network) { Z3Solver() })
            report = try search.run(options) { progress in
                let seconds = Double(progress.elapsed.components.seconds)
                let line = "search: \(progress.pointsChecked) points checked, \(progress.cellsPruned) cells pruned, "
                    + "\(progress.pointsLeft) points left, \(Int(seconds)) s\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        } catch let error as SearchError {
            ErrorReporting.printError("\(property): \(error.description)")
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}
