import Foundation
import NetworkIR
import ONNXImport
import ResultCodec
import Search
import Testing
import VNNLIB
@testable import SoundnessBench

/// The second planting method: a small MLP trained so that planted points are misclassified
/// (SoundnessBench's two objectives). Training plants fewer points than the pocket construction
/// (some are dropped); those it keeps must validate and stay hidden like the others.
@Suite struct TrainedPlantingTests {
    @Test func trainedPlantsValidateAndStayHidden() throws {
        let directory = BenchFixture.temporaryDirectory("trained")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The generator's default attack, as a generated benchmark uses it.
        let attack = HidingAttack()
        // Two planted points and three rounds of 600 epochs keep the debug build's training to
        // a few seconds; with this seed one of the two survives the checks.
        let options = GeneratorOptions(seed: 3, models: [try ModelSpec.parse("mlp:8:16x16:2:trained:2+1")], attack: attack,
                                       hidingRounds: 3, trainingEpochs: 600)
        let summary = try BenchmarkGenerator(options: options).generate(into: directory)
        let planted = summary.instances.filter { $0.label == .unverifiable }
        #expect(!planted.isEmpty, "training planted no hidden counterexample: \(summary.dropped)")
        #expect(summary.instances.count + summary.dropped.count == 3)
        var validator = CounterexampleValidator()
        for record in planted {
            #expect(record.planting == .trained && record.placement == "near-vertex")
            let onnx = directory.appendingPathComponent(record.onnx), vnnlib = directory.appendingPathComponent(record.vnnlib)
            let stem = ((record.vnnlib as NSString).lastPathComponent as NSString).deletingPathExtension
            let text = try String(contentsOf: directory.appendingPathComponent("hidden/\(stem).cex"), encoding: .utf8)
            let check = validator.validate(try ResultFile.parseWitness(text).get(), problem: nil, onnx: onnx, vnnlib: vnnlib)
            #expect(check.status == .valid, "\(record.vnnlib): \(check.reason ?? "")")
            // The point is near a vertex, not on one: every offset is 45-70% of the radius.
            let point = try #require(record.counterexample)
            let specification = try PropertyParser.parse(contentsOf: vnnlib)
            let lower = specification.cases[0].box.lowerDoubles, upper = specification.cases[0].box.upperDoubles
            for i in point.indices {
                let offset = abs(point[i] - (lower[i] + upper[i]) / 2) / ((upper[i] - lower[i]) / 2)
                #expect(offset > 0.44 && offset < 0.71)
            }
            // The same budget with another seed misses it too.
            let again = try attack.run(on: try ONNXLoader.load(contentsOf: onnx), specification: specification, seed: 77)
            #expect(!again.found, "\(record.vnnlib): found \(again.point ?? [])")
        }
    }

    /// The trainer's building blocks: a hand-checked forward/backward pass.
    @Test func backwardPassMatchesFiniteDifferences() throws {
        var rng = SplitMix64(seed: 3)
        let network = RandomNetworks.make(try ModelSpec.parse("mlp:4:5x3:2:pocket"), usesMatMul: false, rng: &rng)
        let mlp = DenseMLP(network)
        let x = [0.3, -0.2, 0.7, 0.1]
        let (trace, output) = mlp.forward(x)
        #expect(output == (try network.model()).evaluate(x))
        let gradient = GradientAccumulator(shapeOf: mlp)
        let dInput = mlp.backward(trace: trace, dOutput: [1, -1], into: gradient)
        let h = 1e-6
        func objective(_ m: DenseMLP, _ v: [Double]) -> Double { let y = m.logits(v); return y[0] - y[1] }
        for i in x.indices {
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            #expect(abs((objective(mlp, plus) - objective(mlp, minus)) / (2 * h) - dInput[i]) < 1e-6)
        }
        for l in mlp.weights.indices {
            for k in stride(from: 0, to: mlp.weights[l].count, by: 3) {
                var plus = mlp, minus = mlp
                plus.weights[l][k] += h
                minus.weights[l][k] -= h
                #expect(abs((objective(plus, x) - objective(minus, x)) / (2 * h) - gradient.weights[l][k]) < 1e-6)
            }
        }
    }
}
