import Foundation
import NetworkIR
import ONNXImport
import Testing
import TestSupport
import VNNLIB
@testable import Search

/// The attack on a real CIFAR-10 CNN (VNN-COMP 2022 oval21; skipped without the benchmarks):
/// its convolutions stay sparse, and the one instance with a known counterexample falls.
@Suite(.requiresBenchmarks) struct ImageAttackBenchmarkTests {
    static func load(_ onnx: String, _ property: String) throws -> (Network, Specification) {
        let folder = try #require(Fixtures.vnncomp2021).deletingLastPathComponent()
            .appendingPathComponent("vnncomp2022/oval21")
        try #require(FileManager.default.fileExists(atPath: folder.path), "no vnncomp2022/oval21 next to vnncomp2021")
        return (try ONNXLoader.load(contentsOf: folder.appendingPathComponent(onnx)),
                try PropertyParser.parse(contentsOf: folder.appendingPathComponent(property)))
    }

    @Test func convolutionsStaySparseAndEvaluateAsTheNetwork() throws {
        let (net, spec) = try Self.load("onnx/cifar_base_kw.onnx",
                                        "vnnlib/cifar_base_kw-img8194-eps0.018300653594771243.vnnlib")
        let attack = AttackNetwork(net)
        #expect(attack.sparseLayerCount >= 2)
        let box = spec.cases[0].box
        let centre = (0..<net.inputSize).map { i in
            (box.lower[i]!.toDouble() + box.upper[i]!.toDouble()) / 2
        }
        #expect(attack.evaluate(centre) == net.evaluate(centre))
    }

    @Test func findsTheKnownCounterexampleOfCifarWide() throws {
        let (net, spec) = try Self.load("onnx/cifar_wide_kw.onnx",
                                        "vnnlib/cifar_wide_kw-img1909-eps0.0033986928104575162.vnnlib")
        let falsifier = try Falsifier(network: net, specification: spec)
        let outcome = falsifier.run(.init(deadline: .now + .seconds(300)))
        #expect(outcome.status == .found)
        let cex = try #require(outcome.counterexample)
        #expect(ReportingPolicy.vnncomp.accepts(cex))
        #expect(try falsifier.check.check(cex.input) != nil)
    }
}
