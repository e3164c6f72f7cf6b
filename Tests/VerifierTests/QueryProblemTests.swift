import Foundation
import NetworkIR
import Testing
import TestSupport
import VNNLIB
@testable import Verifier
import Z3Backend

/// Multi-network queries through the product network: equivalence, monotonicity and a
/// hidden-node property, each with a known answer.
@Suite struct QueryProblemTests {
    static func affine(_ rows: [[Double]], _ bias: [Double]) -> Layer { .affine(AffineLayer(weights: Matrix(rows), bias: bias)) }

    /// y = relu(x0 + x1) − relu(x0 − x1) + 0.5·relu(x1 − 0.25).
    static func small(scale: Double = 1) throws -> Network {
        try Network(inputShape: [2], layers: [
            affine([[1, 1], [1, -1], [0, scale]], [0, 0, -0.25 * scale]), .relu, affine([[1, -1, 0.5]], [0]),
        ])
    }

    static func run(_ text: String, networks: [Network], hidden: [[Network]]? = nil,
                    engine: VerifierOptions.Engine = .branchAndBound) async throws -> (QueryProblem, Verdict) {
        let query = try QueryParser.parse(text: text, fileName: "q.vnnlib")
        let (layout, spec) = try query.translate()
        let problem = try QueryProblem(query: query, layout: layout, specification: spec, networks: networks,
                                       hiddenNetworks: hidden ?? networks.map { _ in [] })
        var options = VerifierOptions()
        options.engine = engine
        let report = await problem.verify(options: options, makeSolver: { Z3Solver() })
        return (problem, report.verdict)
    }

    static let equivalence = """
    (vnnlib-version <2.0>)
    (declare-network f (declare-input X Real [2]) (declare-output Y Real [1]))
    (declare-network g (isomorphic-to f) (declare-input Z Real [2]) (declare-output W Real [1]))
    (assert (and (== X[0] Z[0]) (== X[1] Z[1])))
    (assert (and (>= X[0] -1) (<= X[0] 1) (>= X[1] 0) (<= X[1] 1)))
    (assert (or (> (- Y[0] W[0]) 0.01) (< (- Y[0] W[0]) -0.01)))
    """

    @Test func equalCopyIsEquivalent() async throws {
        let (problem, verdict) = try await Self.run(Self.equivalence, networks: [try Self.small(), try Self.small()])
        #expect(problem.product.inputSize == 2)
        #expect(verdict == .holds)
    }

    @Test func prunedCopyDiffersWithACheckedCounterexample() async throws {
        // Pruning the third hidden neuron's weight changes the output wherever x1 > 0.25.
        let pruned = try Network(inputShape: [2], layers: [
            Self.affine([[1, 1], [1, -1], [0, 0]], [0, 0, -0.25]), .relu, Self.affine([[1, -1, 0.5]], [0]),
        ])
        let (problem, verdict) = try await Self.run(Self.equivalence, networks: [try Self.small(), pruned])
        guard case let .violated(cex) = verdict else {
            Issue.record("expected sat, got \(verdict)")
            return
        }
        let y = try Self.small().evaluate(cex.input), w = pruned.evaluate(cex.input)
        #expect(abs(y[0] - w[0]) > 0.01)
        #expect(cex.input[1] > 0.25 && cex.input[1] <= 1 && abs(cex.input[0]) <= 1)
        #expect(problem.assignmentText(cex).hasPrefix("X Real [2]\n\(cex.input[0])\n\(cex.input[1])\nY Real [1]\n\(y[0])\nZ Real [2]\n"))
    }

    /// f(x) > f(x') although x0 ≤ x0' and x1 = x1': sat exactly when f is not monotone in x0
    /// (the query of the command-line tests, from `scripts/make_query_fixtures.py`).
    static var monotonicity: String {
        get throws {
            try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/query/monotonicity.vnnlib"),
                       encoding: .utf8)
        }
    }

    @Test func monotoneNetworkIsProvedMonotone() async throws {
        // y = relu(x0 + x1) + 2·relu(x0) − x1: increasing in x0.
        let f = try Network(inputShape: [2], layers: [Self.affine([[1, 1], [1, 0], [0, 1]], [0, 0, 0]), .relu,
                                                      Self.affine([[1, 2, -1]], [0])])
        // x0' is read as x0 + d with d ≥ 0, so that the default engine's bounds see the order.
        let (problem, verdict) = try await Self.run(try Self.monotonicity, networks: [f, f])
        #expect(problem.layout.inputCount == 3)
        #expect(problem.layout.inputOffsets == [[nil, nil], [2, nil]])
        #expect(verdict == .holds)
    }

    @Test func nonMonotoneNetworkGivesAWitnessPair() async throws {
        // y = relu(x0) − 2·relu(x0 − 0.5): falls beyond 0.5.
        let f = try Network(inputShape: [2], layers: [Self.affine([[1, 0], [1, 0]], [0, -0.5]), .relu, Self.affine([[1, -2]], [0])])
        let (problem, verdict) = try await Self.run(try Self.monotonicity, networks: [f, f])
        guard case let .violated(cex) = verdict else {
            Issue.record("expected sat, got \(verdict)")
            return
        }
        let x = problem.layout.networkInputs(0, at: cex.input), u = problem.layout.networkInputs(1, at: cex.input)
        #expect(x[0] <= u[0] && x[1] == u[1])
        #expect(f.evaluate(x)[0] > f.evaluate(u)[0])
    }

    static let hiddenQuery = """
    (vnnlib-version <2.0>)
    (declare-network f (declare-input X Real [2]) (declare-hidden H Real [3] "h") (declare-output Y Real []))
    (assert (and (>= X[0] 0) (<= X[0] 1) (>= X[1] 0) (<= X[1] 1)))
    (assert (>= H[2] BOUND))
    """

    /// The prefix before the ReLU (pre-activations, possibly negative) of `small`: H[2] = x1 − 0.25
    /// reaches 0.75 at most on the unit box.
    @Test(arguments: [("0.75", true), ("0.7500001", false)])
    func hiddenNodeBoundIsDecided(bound: String, reachable: Bool) async throws {
        let net = try Self.small()
        let prefix = try Network(inputShape: [2], layers: [Self.affine([[1, 1], [1, -1], [0, 1]], [0, 0, -0.25])])
        let text = Self.hiddenQuery.replacingOccurrences(of: "BOUND", with: bound)
        let (problem, verdict) = try await Self.run(text, networks: [net], hidden: [[prefix]])
        #expect(problem.layout.hiddenStart == [[1]])
        if reachable {
            guard case let .violated(cex) = verdict else {
                Issue.record("expected sat, got \(verdict)")
                return
            }
            #expect(prefix.evaluate(cex.input)[2] >= 0.75)
            #expect(cex.output[0] == net.evaluate(cex.input)[0])
        } else {
            #expect(verdict == .holds)
        }
    }
}
