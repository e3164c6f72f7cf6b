import Foundation
import NetworkIR
import ONNXImport
import Search
import Verifier
import VNNLIB
import Z3Backend

/// A verification problem read from a user's files and checked once: an ONNX network and a
/// VNN-LIB 1.0 property whose declared input and output counts match the network, and whose
/// every input has a lower and an upper bound. The entry point for Swift programs that verify
/// without the command line (`certus verify` uses it too).
///
/// ```swift
/// import CertusKit
/// import Verifier
///
/// let instance = try Instance(model: "benchmarks/examples/mlp_5x20x20x5.onnx",
///                             property: "vnnlib/robust_small.vnnlib")
/// let report = await instance.verify(options: VerifierOptions(timeout: .seconds(10)))
/// print(report.verdict.word)  // unsat
/// ```
public struct Instance: Sendable {
    /// The chain every pass reads. For a model that is not a single chain, the graph lowered
    /// over the hull of the property's input boxes (`NetworkGraph.chain(lower:upper:)`): exact
    /// on every point of every case's box, and on sub-boxes of them.
    public var network: Network
    public var specification: Specification
    /// The imported graph when the model is not a single chain (nil otherwise); counterexamples
    /// are replayed on it before they are reported.
    public var graph: NetworkGraph?

    /// Why the files do not make an instance; the description names the file (as given) and
    /// the problem in one line.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Checks a network and a property read elsewhere against each other.
    /// - Parameters: `modelName`, `propertyName`: how messages name the two.
    public init(network: Network, specification: Specification, modelName: String = "the network",
                propertyName: String = "the property") throws(LoadError) {
        guard specification.inputCount == network.inputSize else {
            throw LoadError(description: "\(propertyName): declares \(specification.inputCount) inputs X_i but \(modelName) takes \(network.inputSize)")
        }
        guard specification.outputCount == network.outputSize else {
            throw LoadError(description: "\(propertyName): declares \(specification.outputCount) outputs Y_j but \(modelName) produces \(network.outputSize)")
        }
        if let (variable, side) = Self.firstUnboundedInput(specification) {
            throw LoadError(description: "\(propertyName): input \(variable) has no \(side) bound; every input needs a lower and an upper bound, as in (assert (>= \(variable) -1)) and (assert (<= \(variable) 1))")
        }
        self.network = network
        self.specification = specification
    }

    /// Reads the ONNX network at path `model` and the VNN-LIB property at path `property`.
    public init(model: String, property: String) throws(LoadError) {
        let graph: NetworkGraph
        do {
            graph = try ONNXLoader.loadGraph(contentsOf: URL(fileURLWithPath: model), fileName: model)
        } catch let error as ONNXError {
            throw LoadError(description: error.description)
        } catch let error as NetworkError {
            throw LoadError(description: "\(model): \(error.description)")
        } catch {
            throw LoadError(description: "\(model): \(error)")
        }
        let specification: Specification
        do {
            specification = try PropertyParser.parse(contentsOf: URL(fileURLWithPath: property))
        } catch let error as VNNLIBError {
            throw LoadError(description: error.description)
        } catch {
            throw LoadError(description: "\(property): \(error)")
        }
        let network: Network
        do {
            network = try Self.lower(graph, over: specification)
        } catch {
            throw LoadError(description: "\(error)")
        }
        try self.init(network: network, specification: specification, modelName: model, propertyName: property)
        self.graph = graph.isChain ? nil : graph
    }

    /// `graph` as a chain, exact on the hull of the property's non-empty input boxes (every
    /// input when the sizes disagree, which `init` then reports, or no box is bounded).
    static func lower(_ graph: NetworkGraph, over specification: Specification) throws -> Network {
        let boxes = specification.cases.map(\.box).filter { !$0.isEmpty && $0.count == graph.inputSize }
        guard !graph.isChain, specification.inputCount == graph.inputSize, !boxes.isEmpty else { return try graph.chain() }
        var lower = boxes[0].lowerDoubles, upper = boxes[0].upperDoubles
        for box in boxes.dropFirst() {
            lower = zip(lower, box.lowerDoubles).map { min($0, $1) }
            upper = zip(upper, box.upperDoubles).map { max($0, $1) }
        }
        return try graph.chain(lower: lower, upper: upper)
    }

    /// Decides the property with Z3 as the exact solver: `unsat` (`.holds`) only with a proof,
    /// `sat` (`.violated`) only with a counterexample checked by running the network.
    /// - Parameter start: when the caller's clock started (the time limit counts from there).
    /// For a graph model, a counterexample is replayed on the graph lowered without a box before
    /// it is reported, so that its outputs are the model's, whatever rounding the box's offsets
    /// add to the lowered chain; one the replay does not confirm makes the verdict `unknown`.
    public func verify(options: VerifierOptions = VerifierOptions(), startedAt start: ContinuousClock.Instant = .now) async -> VerificationReport {
        var report = await Verifier(network: network, specification: specification, options: options, makeSolver: { Z3Solver() })
            .verify(startedAt: start)
        if let graph, case let .violated(found) = report.verdict {
            report.verdict = Self.replay(found, on: graph, specification: specification)
        }
        return report
    }

    /// The chain that computes the model on every input, inside the property's boxes or not:
    /// `network` for a chain model, the graph lowered without a box otherwise (slower to bound,
    /// but right for a witness from elsewhere).
    /// - Throws: `ONNXError` when that lowering exceeds the dense size limit.
    public func networkForEveryInput() throws -> Network {
        try graph?.chain() ?? network
    }

    /// The counterexample re-measured on `graph` lowered for every input, if that confirms it.
    static func replay(_ found: ValidatedCounterexample, on graph: NetworkGraph, specification: Specification) -> Verdict {
        do {
            let check = try CounterexampleCheck(network: graph.chain(), specification: specification)
            let replayed = try check.assess(found.input, caseIndex: found.caseIndex)
            guard ReportingPolicy.vnncomp.accepts(replayed) else {
                return .unknown(reason: "a counterexample of the lowered network was not confirmed on the model's graph")
            }
            return .violated(ValidatedCounterexample(replayed, foundBy: found.foundBy))
        } catch {
            return .unknown(reason: "the counterexample could not be replayed on the model's graph: \(error)")
        }
    }

    /// The first input, in a case with a non-empty region, that lacks a lower or an upper bound:
    /// its name (`X_3`) and the side missing. Such a property asks about every real value of
    /// the input, which VNN-LIB benchmarks never do; it is almost always a missing assertion.
    static func firstUnboundedInput(_ specification: Specification) -> (String, String)? {
        for specCase in specification.cases where !specCase.box.isEmpty {
            for i in 0..<specCase.box.count {
                if specCase.box.lower[i] == nil { return ("X_\(i)", "lower") }
                if specCase.box.upper[i] == nil { return ("X_\(i)", "upper") }
            }
        }
        return nil
    }
}
