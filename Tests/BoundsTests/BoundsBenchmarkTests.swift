import Foundation
import Search
import Testing
import NetworkIR
import ONNXImport
import TestSupport
import VNNLIB
@testable import Bounds

extension Tag {
    /// Tests on the real VNN-COMP benchmarks (slow in debug builds; skip with
    /// `swift test --skip BoundsBenchmarkTests`).
    @Tag static var benchmark: Self
}

/// Real VNN-COMP 2021 networks and properties (skipped, with a notice, when the benchmark folder
/// is absent). The ground truth is `truth.csv`: no instance known to be `sat` may be proved by
/// any method, and sampled points must stay inside every method's bounds.
@Suite(.tags(.benchmark), .requiresBenchmarks) struct BoundsBenchmarkTests {
    struct Instance {
        var category: String
        var model: String
        var property: String
        var truth: String
    }

    static func instances(_ root: URL) throws -> [Instance] {
        let text = try String(contentsOf: root.appendingPathComponent("truth.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",").map(String.init)
            guard fields.count == 4 else { return nil }
            return Instance(category: fields[0], model: fields[1], property: fields[2], truth: fields[3])
        }
    }

    static func load(_ root: URL, _ instance: Instance) throws -> (Network, Specification) {
        let folder = root.appendingPathComponent(instance.category)
        return (try ONNXLoader.load(contentsOf: folder.appendingPathComponent(instance.model)),
                try PropertyParser.parse(contentsOf: folder.appendingPathComponent(instance.property)))
    }

    /// Every known-sat ACAS Xu instance (47), every method: nothing is proved.
    @Test func acasKnownSatInstancesAreNeverProved() throws {
        let root = try #require(Fixtures.vnncomp2021)
        let sat = try Self.instances(root).filter { $0.category == "acasxu" && $0.truth == "sat" }
        #expect(sat.count == 47)
        let analyzer = BoundsAnalyzer(options: .init(slopeIterations: 10, lagrangianIterations: 30))
        for instance in sat {
            let (network, spec) = try Self.load(root, instance)
            for (c, results) in try analyzer.analyze(spec, of: network, methods: BoundsMethod.allCases).enumerated() {
                for result in results {
                    #expect(!result.isProved, "\(instance.model) \(instance.property) case \(c): \(result.method) claims \(result.proof.map { "\($0)" } ?? "")")
                }
            }
        }
    }

    /// ACAS Xu properties 3 and 4 on networks 1_1…1_9: sampled points of the input box stay
    /// inside every method's bounds of every layer, and sat instances are not proved.
    @Test func acasProperties3And4OnNetworks1x() throws {
        let root = try #require(Fixtures.vnncomp2021)
        let truth = Dictionary(try Self.instances(root).map { ("\($0.model)/\($0.property)", $0.truth) }, uniquingKeysWith: { a, _ in a })
        var rng = SplitMix64(seed: 2021)
        for net in 1...9 {
            for prop in [3, 4] {
                let instance = Instance(category: "acasxu", model: "ACASXU_run2a_1_\(net)_batch_2000.onnx", property: "prop_\(prop).vnnlib",
                                        truth: truth["ACASXU_run2a_1_\(net)_batch_2000.onnx/prop_\(prop).vnnlib"] ?? "")
                let (network, spec) = try Self.load(root, instance)
                let box = IntervalVector(lower: spec.cases[0].box.lowerDoubles, upper: spec.cases[0].box.upperDoubles)
                let methods: [(String, NetworkBounds)] = [
                    ("interval", try IntervalPropagation().bounds(of: network, input: box)),
                    ("linear", try LinearRelaxation().bounds(of: network, input: box)),
                    ("lagrangian", try LagrangianDual(options: .init(maxIterations: 20)).bounds(of: network, input: box)),
                ]
                var violations: [String] = []
                for point in TestNetworks.samples(of: box, count: 2000, using: &rng) {
                    let trace = network.evaluateTrace(point)
                    for (name, bounds) in methods {
                        if let v = TestNetworks.violation(trace, bounds) { violations.append("\(name): \(v)") }
                    }
                }
                #expect(violations.isEmpty, "\(instance.model) \(instance.property): \(violations.prefix(3))")
                let results = try BoundsAnalyzer(options: .init(slopeIterations: 10, lagrangianIterations: 30))
                    .analyze(spec, of: network, methods: BoundsMethod.allCases)
                if instance.truth == "sat" {
                    #expect(!results.joined().contains { $0.isProved }, "\(instance.model) \(instance.property) is sat but was proved")
                }
            }
        }
    }

    /// Every known-sat MNIST instance: no method proves any case. (Few iterations: this runs
    /// in debug builds; the benchmark script measures the full settings.)
    @Test func mnistKnownSatInstancesAreNeverProved() throws {
        let root = try #require(Fixtures.vnncomp2021)
        let sat = try Self.instances(root).filter { $0.category == "mnistfc" && $0.truth == "sat" }
        #expect(!sat.isEmpty)
        let analyzer = BoundsAnalyzer(options: .init(slopeIterations: 3, lagrangianIterations: 3))
        for instance in sat {
            let (network, spec) = try Self.load(root, instance)
            for (c, results) in try analyzer.analyze(spec, of: network, methods: BoundsMethod.allCases).enumerated() {
                for result in results {
                    #expect(!result.isProved, "\(instance.model) \(instance.property) case \(c): \(result.method) claims \(result.proof.map { "\($0)" } ?? "")")
                }
            }
        }
    }

    /// The MNIST networks with prop_0_0.03: sampled points stay inside the bounds of every layer.
    @Test(arguments: ["mnist-net_256x2.onnx", "mnist-net_256x4.onnx", "mnist-net_256x6.onnx"])
    func mnistSamplesStayInsideBounds(model: String) throws {
        let root = try #require(Fixtures.vnncomp2021)
        let (network, spec) = try Self.load(root, Instance(category: "mnistfc", model: model, property: "prop_0_0.03.vnnlib", truth: ""))
        let box = IntervalVector(lower: spec.cases[0].box.lowerDoubles, upper: spec.cases[0].box.upperDoubles)
        let interval = try IntervalPropagation().bounds(of: network, input: box)
        let linear = try LinearRelaxation().bounds(of: network, input: box)
        var rng = SplitMix64(seed: 784)
        var violations: [String] = []
        for point in TestNetworks.samples(of: box, count: 500, using: &rng) {
            let trace = network.evaluateTrace(point)
            for (name, bounds) in [("interval", interval), ("linear", linear)] {
                if let v = TestNetworks.violation(trace, bounds) { violations.append("\(name): \(v)") }
            }
        }
        #expect(violations.isEmpty, "\(model): \(violations.prefix(3))")
        #expect(linear.unstableCounts.reduce(0, +) <= interval.unstableCounts.reduce(0, +))
    }
}
