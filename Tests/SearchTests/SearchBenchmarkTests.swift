import ExactArithmetic
import Foundation
import NetworkIR
import ONNXImport
import Testing
import TestSupport
import VNNLIB
@testable import Search

/// The search on real VNN-COMP 2021 instances (skipped without the benchmarks), and the
/// search's throughput and pruning measurements, which run only with `CERTUS_SEARCH_MEASURE=1`
/// (use a release build: `swift test -c release --filter SearchMeasurements`).
@Suite(.requiresBenchmarks) struct SearchBenchmarkTests {
    static func load(_ onnx: String, _ property: String) throws -> (Network, Specification) {
        let folder = try #require(Fixtures.vnncomp2021).appendingPathComponent("acasxu")
        return (try ONNXLoader.load(contentsOf: folder.appendingPathComponent(onnx)),
                try PropertyParser.parse(contentsOf: folder.appendingPathComponent(property)))
    }

    @Test func defaultGridFalsifiesAnACASXuInstance() throws {
        let (net, spec) = try Self.load("ACASXU_run2a_1_4_batch_2000.onnx", "prop_2.vnnlib")
        let report = try ManipulationSearch(network: net, specification: spec).run(.init())
        #expect(report.outcome == .counterexample)
        let cex = try #require(report.details.counterexample)
        #expect(cex.isValid && ReportingPolicy.vnncomp.accepts(cex))
        #expect(try CounterexampleCheck(network: net, specification: spec).check(cex.input) != nil)
        #expect(report.pointsChecked <= 243)
    }

    @Test func unsafeFreeGridIsReportedWithoutAProofClaim() throws {
        let (net, spec) = try Self.load("ACASXU_run2a_1_1_batch_2000.onnx", "prop_1.vnnlib")
        let report = try ManipulationSearch(network: net, specification: spec,
                                            pruner: BoundsCellPruner(network: net, specification: spec)).run(.init())
        #expect(report.outcome == .noneOnGrid)
        #expect(report.pointsChecked + report.details.pointsPruned == 243)
        #expect(!report.text.lowercased().contains("unsat") && report.text.contains("not a proof"))
    }
}

@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CERTUS_SEARCH_MEASURE"] != nil))
struct SearchMeasurements {
    static var seconds: Double { Double(ProcessInfo.processInfo.environment["CERTUS_SEARCH_SECONDS"] ?? "10") ?? 10 }

    /// The 47 instances that truth.csv marks sat.
    static func satInstances(_ root: URL) throws -> [(String, String)] {
        let truth = try String(contentsOf: root.appendingPathComponent("truth.csv"), encoding: .utf8)
        var rows: [(String, String)] = []
        for line in truth.split(separator: "\n") {
            let fields = line.split(separator: ",").map(String.init)
            if fields.count == 4, fields[0] == "acasxu", fields[3] == "sat" { rows.append((fields[1], fields[2])) }
        }
        return rows
    }

    static func summary(_ report: SearchReport) -> String {
        report.text.split(separator: "\n").dropFirst().prefix(3).joined(separator: " | ")
    }

    @Test(.requiresBenchmarks) func throughputAndPruningOnACASXu() throws {
        let (net, spec) = try SearchBenchmarkTests.load("ACASXU_run2a_1_1_batch_2000.onnx", "prop_1.vnnlib")
        let pruners: [(String, (any CellPruner)?)] = [
            ("none", nil), ("interval", IntervalCellPruner(network: net, specification: spec)),
            ("linear", BoundsCellPruner(network: net, specification: spec)),
        ]
        for (name, pruner) in pruners {
            for m in [2, 4, 8] {
                let report = try ManipulationSearch(network: net, specification: spec, pruner: pruner)
                    .run(.init(spans: m, deadline: .now + .seconds(120)))
                print("MEASURE acasxu 1_1 prop_1 pruner=\(name) spans=\(m): \(Self.summary(report))")
            }
        }
    }

    @Test func throughputAndPruningOnA10InputMLP() throws {
        // A 10-50-50-2 ReLU MLP with weights scaled by 1/sqrt(fan-in), the SoundnessBench input
        // size, and a robustness property on [-0.02, 0.02]^10 around 0.
        let raw = try SearchFixtures.random(sizes: [10, 50, 50, 2], seed: 11)
        let net = try Network(inputShape: [10], layers: raw.layers.map { layer in
            guard case let .affine(a) = layer else { return layer }
            let s = 1 / Double(a.inputSize).squareRoot()
            return .affine(AffineLayer(weights: Matrix(rows: a.weights.rows, columns: a.weights.columns,
                                                       storage: a.weights.storage.map { $0 * s }), bias: a.bias.map { $0 * s }))
        })
        let y = net.evaluate(Array(repeating: 0, count: 10))
        let label = y[0] >= y[1] ? 0 : 1
        for radius in [0.02, 0.2] {
            let spec = Specification(inputCount: 10, outputCount: 2, cases: [SpecificationCase(
                box: SearchFixtures.box(Array(repeating: (-radius, radius), count: 10)),
                outputConstraints: [LinearConstraint(LinearExpression(terms: [(.output(label), .one), (.output(1 - label), Rational(-1))]),
                                                     .lessOrEqual)])])
            let pruners: [(String, (any CellPruner)?)] = [
                ("none", nil), ("interval", IntervalCellPruner(network: net, specification: spec)),
                ("linear", BoundsCellPruner(network: net, specification: spec)),
            ]
            for (name, pruner) in pruners {
                let report = try ManipulationSearch(network: net, specification: spec, pruner: pruner).run(.init())
                print("MEASURE mlp10 radius=\(radius) pruner=\(name): \(report.outcome.rawValue) \(Self.summary(report))")
            }
        }
    }

    @Test(.requiresBenchmarks) func knownSatACASXuInstancesFalsifiedByTheSearchAlone() throws {
        let root = try #require(Fixtures.vnncomp2021)
        var solved = 0
        // CERTUS_SEARCH_ONLY="1_2,5_3" restricts the run to networks whose name contains one of them.
        let only = ProcessInfo.processInfo.environment["CERTUS_SEARCH_ONLY"]?.split(separator: ",").map { "_\($0)_" }
        let instances = try Self.satInstances(root).filter { onnx, _ in only.map { $0.contains { onnx.contains($0) } } ?? true }
        for (onnx, property) in instances {
            let (net, spec) = try SearchBenchmarkTests.load(onnx, property)
            let start = ContinuousClock.now
            let deadline = start + .seconds(Self.seconds)
            var result = "none-on-grid"
            var spans = 0
            // Refine the grid (halving the spans) until a counterexample or the deadline.
            for m in [1, 2, 4, 8, 16, 32] {
                spans = m
                let report = try ManipulationSearch(network: net, specification: spec,
                                                    pruner: BoundsCellPruner(network: net, specification: spec))
                    .run(.init(spans: m, deadline: deadline))
                result = report.outcome.rawValue
                if report.outcome != .noneOnGrid { break }
            }
            if result == "counterexample" { solved += 1 }
            print("MEASURE sat \(onnx) \(property): \(result) at spans=\(spans) after \(ContinuousClock.now - start)")
        }
        print("MEASURE grid search alone falsified \(solved) of \(instances.count) known-sat ACAS Xu instances, \(Self.seconds) s each")
    }
}
