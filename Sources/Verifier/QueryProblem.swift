import ExactArithmetic
import Foundation
import NetworkIR
import SMT
import VNNLIB

/// A VNN-LIB 2.0 query with its networks loaded, reduced to one ordinary verification problem:
/// the product network (`ProductNetwork`) computing every network and every declared hidden
/// node side by side, and the query's assertions as a `Specification` over it.
///
/// `unsat` is the product's proof, which is a proof about the networks because the product
/// computes them exactly. `sat` is reported only after the counterexample has been replayed
/// on each original network (and each hidden-node prefix) separately and still satisfies the
/// case exactly; otherwise the verdict is `unknown`.
public struct QueryProblem: Sendable {
    /// Networks or sizes that do not fit the query's declarations.
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    public let query: Query
    public let layout: ProductLayout
    public let specification: Specification
    /// The network of each declaration (`equal-to` declarations get their target's).
    public let networks: [Network]
    /// For each declaration and each of its hidden nodes: the network cut after that node.
    public let hiddenNetworks: [[Network]]
    /// All of the above side by side.
    public let product: Network

    /// Checks every network against its declaration and builds the product.
    /// - Throws: `Mismatch` naming the declaration whose sizes differ from the network's.
    public init(query: Query, layout: ProductLayout, specification: Specification, networks: [Network],
                hiddenNetworks: [[Network]]) throws {
        guard networks.count == query.networks.count, hiddenNetworks.count == query.networks.count else {
            throw Mismatch(description: "\(query.fileName): \(query.networks.count) networks are declared but \(networks.count) given")
        }
        var components: [ProductNetwork.Component] = []
        for (d, declaration) in query.networks.enumerated() {
            let network = networks[d], input = declaration.inputs[0], output = declaration.outputs[0]
            func mismatch(_ what: String, _ declared: Int, _ actual: Int) -> Mismatch {
                Mismatch(description: "\(declaration.location): \(what) of network '\(declaration.name)' has \(declared) elements but the model has \(actual)")
            }
            guard input.elementCount == network.inputSize else { throw mismatch("input '\(input.name)'", input.elementCount, network.inputSize) }
            guard output.elementCount == network.outputSize else { throw mismatch("output '\(output.name)'", output.elementCount, network.outputSize) }
            components.append(ProductNetwork.Component(network: network, inputIndices: layout.inputIndices[d],
                                                       inputOffsets: layout.inputOffsets[d]))
            guard hiddenNetworks[d].count == declaration.hidden.count else {
                throw Mismatch(description: "\(declaration.location): hidden nodes of '\(declaration.name)' not loaded")
            }
            for (hidden, prefix) in zip(declaration.hidden, hiddenNetworks[d]) {
                guard prefix.inputSize == network.inputSize, hidden.elementCount == prefix.outputSize else {
                    throw mismatch("hidden node '\(hidden.name)' (\"\(hidden.onnxName ?? "")\")", hidden.elementCount, prefix.outputSize)
                }
                components.append(ProductNetwork.Component(network: prefix, inputIndices: layout.inputIndices[d],
                                                           inputOffsets: layout.inputOffsets[d]))
            }
        }
        self.query = query
        self.layout = layout
        self.specification = specification
        self.networks = networks
        self.hiddenNetworks = hiddenNetworks
        do {
            product = try ProductNetwork.build(components, inputCount: layout.inputCount)
        } catch let NetworkError.unsupportedLayer(layer, kind) {
            throw Mismatch(description: "\(query.fileName): queries over networks with sigmoid or tanh layers are not supported (layer \(layer) is \(kind))")
        } catch let error as NetworkError {
            throw Mismatch(description: "\(query.fileName): the product network is inconsistent: \(error)")
        }
    }

    /// The product's outputs computed by running each original network and hidden-node prefix
    /// on its own inputs, in float64.
    public func replay(_ productInput: [Double]) -> [Double] {
        var outputs = [Double](repeating: 0, count: layout.outputCount)
        for d in networks.indices {
            let x = layout.networkInputs(d, at: productInput)
            let y = networks[d].evaluate(x)
            outputs.replaceSubrange(layout.outputStart[d]..<layout.outputStart[d] + y.count, with: y)
            for (k, prefix) in hiddenNetworks[d].enumerated() {
                let h = prefix.evaluate(x)
                outputs.replaceSubrange(layout.hiddenStart[d][k]..<layout.hiddenStart[d][k] + h.count, with: h)
            }
        }
        return outputs
    }

    /// The Z3 leaf threshold (`VerifierOptions.leafThreshold`) for queries with ordered inputs,
    /// unless one is given. Where `D` is near 0, `f(a + D) − f(a)` is near 0 and its sign
    /// hinges on ReLUs that both copies cross at once; the bounds relax the two copies' ReLUs
    /// separately, so input splits shrink that error only linearly and a monotone network
    /// would need millions of nodes, while Z3 decides a node with a few unstable ReLUs at once.
    static let orderedLeafThreshold = 8

    /// Verifies the product, then replays any counterexample on the original networks.
    public func verify(options: VerifierOptions, makeSolver: @escaping SolverFactory,
                       startedAt start: ContinuousClock.Instant = .now) async -> VerificationReport {
        if options.usesBounds, let copies = CopyDifferenceBounds(query: query, layout: layout, networks: networks),
           copies.refutes(specification) {
            let seconds = Verifier.seconds(ContinuousClock.now - start)
            let cases = specification.cases.indices.map {
                CaseOutcome(caseIndex: $0, status: .proved(method: "copy difference"), seconds: seconds)
            }
            return VerificationReport(verdict: .holds, cases: cases, seconds: seconds)
        }
        var options = options
        if options.leafThreshold == nil, layout.inputOffsets.contains(where: { $0.contains { $0 != nil } }) {
            options.leafThreshold = Self.orderedLeafThreshold
        }
        var report = await Verifier(network: product, specification: specification, options: options,
                                    makeSolver: makeSolver).verify(startedAt: start)
        if case var .violated(cex) = report.verdict {
            guard let input = exactOffsets(cex.input) else {
                report.verdict = .unknown(reason: "a counterexample of the product network has an ordered input that float64 cannot hold exactly")
                return report
            }
            cex.input = input
            let replayed = replay(cex.input)
            if specification.cases[cex.caseIndex].isSatisfied(inputs: cex.input, outputs: replayed) {
                cex.output = replayed
                report.verdict = .violated(cex)
            } else {
                report.verdict = .unknown(reason: "a counterexample of the product network did not hold when replayed on the original networks")
            }
        }
        return report
    }

    /// The point with every offset input `D` replaced by `fl(a + D) − a`, so that the networks'
    /// inputs `a + D`, computed in float64 by `replay` and printed, equal the product's inputs
    /// exactly; nil when some such sum is not exact (then the point is not reported).
    func exactOffsets(_ productInput: [Double]) -> [Double]? {
        var input = productInput
        for (indices, offsets) in zip(layout.inputIndices, layout.inputOffsets) {
            for (base, offset) in zip(indices, offsets) {
                guard let offset else { continue }
                let a = productInput[base], sum = a + productInput[offset], d = sum - a
                guard let exactA = Rational(exactly: a), let exactD = Rational(exactly: d),
                      let exactSum = Rational(exactly: sum), exactA + exactD == exactSum else { return nil }
                input[offset] = d
            }
        }
        return input
    }

    /// The standard's command-line assignment: every declared variable in declaration order,
    /// `NAME TYPE [shape]` and then its values, one a line, in row-major order.
    public func assignmentText(_ cex: ValidatedCounterexample) -> String {
        var text = ""
        for (d, declaration) in query.networks.enumerated() {
            for tensor in declaration.inputs + declaration.hidden + declaration.outputs {
                text += "\(tensor.name) \(tensor.elementType) \(tensor.shapeText)\n"
                for v in layout.values(of: tensor, network: d, in: query, inputs: cex.input, outputs: cex.output) {
                    text += "\(v)\n"
                }
            }
        }
        return text
    }
}
