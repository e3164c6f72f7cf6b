import Foundation
import NetworkIR
import ONNXImport
import ResultCodec
import Search
import Testing
import VNNLIB
@testable import SoundnessBench

@Suite struct GeneratorTests {
    @Test func layoutAndLabels() throws {
        let (directory, summary) = try BenchFixture.bench()
        let benchmark = try Benchmark(directory: directory)
        #expect(benchmark.instances.count == summary.instances.count)
        #expect(summary.unverifiableCount >= 5 && summary.cleanCount >= 3)
        #expect(benchmark.instances.allSatisfy { $0.timeout == 60 })
        for record in summary.instances {
            #expect(benchmark.labels[InstanceKey(onnx: record.onnx, vnnlib: record.vnnlib)] == record.label)
            let stem = ((record.vnnlib as NSString).lastPathComponent as NSString).deletingPathExtension
            let cex = directory.appendingPathComponent("hidden/\(stem).cex")
            #expect(FileManager.default.fileExists(atPath: cex.path) == (record.label == .unverifiable))
            // Public files carry no hint of the label.
            let text = try String(contentsOf: directory.appendingPathComponent(record.vnnlib), encoding: .utf8)
            #expect(!text.contains("planted") && !text.contains("unverifiable") && !text.contains("clean"))
        }
    }

    /// The planted counterexamples, read from `hidden/*.cex`, are counterexamples of the written
    /// ONNX file and VNN-LIB property, in float64 and float32.
    @Test func plantedCounterexamplesValidate() throws {
        let (directory, summary) = try BenchFixture.bench()
        var validator = CounterexampleValidator()
        var checked = 0
        for record in summary.instances where record.label == .unverifiable {
            let stem = ((record.vnnlib as NSString).lastPathComponent as NSString).deletingPathExtension
            let text = try String(contentsOf: directory.appendingPathComponent("hidden/\(stem).cex"), encoding: .utf8)
            let witness = try ResultFile.parseWitness(text).get()
            let check = validator.validate(witness, problem: nil, onnx: directory.appendingPathComponent(record.onnx),
                                           vnnlib: directory.appendingPathComponent(record.vnnlib))
            #expect(check.status == .valid, "\(record.vnnlib): \(check.reason ?? "")")
            #expect((check.marginFloat64 ?? -1) >= 0 && (check.marginFloat32 ?? -1) >= 0)
            #expect((check.outputDeviation ?? 1) < 1e-12)
            #expect(record.marginFloat64 == check.marginFloat64)
            checked += 1
        }
        #expect(checked == summary.unverifiableCount)
        let benchmark = try Benchmark(directory: directory)
        var again = CounterexampleValidator()
        #expect(benchmark.validatePlanted(using: &again).values.allSatisfy { $0 })
    }

    /// The hidden-ness attack, run again with another seed and twice the restarts, misses every
    /// planted counterexample; the same attack finds a pocket that is too wide (the control).
    @Test func attackMissesTheHiddenSet() throws {
        let (directory, summary) = try BenchFixture.bench()
        var stronger = BenchFixture.attack
        stronger.restarts *= 2
        for (k, record) in summary.instances.enumerated() where record.label == .unverifiable {
            #expect(record.attack?.found == false)
            let network = try ONNXLoader.load(contentsOf: directory.appendingPathComponent(record.onnx))
            let specification = try PropertyParser.parse(contentsOf: directory.appendingPathComponent(record.vnnlib))
            let outcome = try stronger.run(on: network, specification: specification, seed: 0xABCD + UInt64(k))
            #expect(!outcome.found, "\(record.vnnlib): the attack found \(outcome.point ?? [])")
            #expect(outcome.bestMargin < 0)
        }
        // Control: the same construction with a pocket as wide as the box is found.
        let spec = try ModelSpec.parse("mlp:4:8x8:2:pocket")
        var rng = SplitMix64(seed: 99)
        let base = RandomNetworks.make(spec, usesMatMul: false, rng: &rng).roundedToFloat32
        let centre = [0.1, -0.2, 0.3, 0.0]
        let scores = try base.model().evaluate(centre)
        let label = scores[0] > scores[1] ? 0 : 1
        let property = RobustnessProperty(lower: centre.map { $0 - 0.05 }, upper: centre.map { $0 + 0.05 }, label: label, classCount: 2)
        let pocket = Pocket(centre: centre, dimensions: [0, 1, 2, 3], widths: [0.2, 0.2, 0.2, 0.2], label: label, target: 1 - label,
                            amplitude: abs(scores[0] - scores[1]) + 1)
        let wide = try PlantingToolkit.written(try PocketPlanter.plant([pocket], in: base, inputShift: 2).roundedToFloat32,
                                               name: "wide").loaded
        #expect(try BenchFixture.attack.run(on: wide, specification: property.specification, seed: 1).found)
    }

    @Test func cleanPocketInstancesAreProvedSafe() throws {
        let (_, summary) = try BenchFixture.bench()
        for record in summary.instances where record.label == .clean && record.planting == .pocket {
            #expect(record.provedSafe == true, "\(record.vnnlib)")
        }
        for record in summary.instances where record.label == .unverifiable {
            #expect(record.baseProvedRobust == true && record.provedSafe == false)
        }
    }

    /// The pocket changes nothing outside its support, exactly, and raises the target at its
    /// centre by the amplitude (up to rounding).
    @Test(arguments: ["mlp:5:6x7x5:3:pocket", "mlp:3:6:2:pocket", "cnn:2x6x6:3k3s2,2k3s1:7x5:2:pocket"])
    func pocketIsLocal(spec text: String) throws {
        let spec = try ModelSpec.parse(text)
        var rng = SplitMix64(seed: 5)
        let base = RandomNetworks.make(spec, usesMatMul: false, rng: &rng)
        let usable = PocketPlanter.usableInputs(of: base)
        let centre = (0..<spec.inputSize).map { _ in rng.nextDouble(in: -0.5, 0.5) }
        let dims = Array(usable.prefix(4))
        let pocket = Pocket(centre: centre, dimensions: dims, widths: dims.map { _ in 0.05 }, label: 0, target: 1, amplitude: 3)
        let planted = try PocketPlanter.plant([pocket], in: base, inputShift: 2)
        let baseModel = try base.model(), plantedModel = try planted.model()
        for _ in 0..<50 {
            let x = (0..<spec.inputSize).map { _ in rng.nextDouble(in: -1, 1) }
            guard pocket.bump(x) == 0 else { continue }
            #expect(plantedModel.evaluate(x) == baseModel.evaluate(x))
        }
        let at = plantedModel.evaluate(centre), was = baseModel.evaluate(centre)
        #expect(abs(at[1] - was[1] - 3) < 1e-9 && at[0] == was[0])
    }

    @Test func writtenPropertyParsesToItsSpecification() throws {
        let property = RobustnessProperty(lower: [Double(Float(-0.1)), 0.25, -1], upper: [Double(Float(0.1)), 0.5, -0.75],
                                          label: 1, classCount: 3)
        let parsed = try PropertyParser.parse(text: property.vnnlib(comment: ["test"]), fileName: "p.vnnlib")
        #expect(parsed == property.specification)
        #expect(parsed.cases.count == 2)
    }

    @Test func sameSeedSameBenchmark() throws {
        let options = GeneratorOptions(seed: 7, models: [try ModelSpec.parse("mlp:3:6x6:2:pocket:2+1")], attack: BenchFixture.attack)
        let a = BenchFixture.temporaryDirectory("same-a"), b = BenchFixture.temporaryDirectory("same-b")
        defer { for d in [a, b] { try? FileManager.default.removeItem(at: d) } }
        let first = try BenchmarkGenerator(options: options).generate(into: a)
        _ = try BenchmarkGenerator(options: options).generate(into: b)
        for record in first.instances {
            for path in [record.onnx, record.vnnlib, "instances.csv", "hidden/labels.csv"] {
                #expect(try Data(contentsOf: a.appendingPathComponent(path)) == Data(contentsOf: b.appendingPathComponent(path)))
            }
        }
        #expect(throws: SoundnessBenchError.self) { try BenchmarkGenerator(options: options).generate(into: a) }
    }

    @Test func badOptionsAreRejected() {
        let directory = BenchFixture.temporaryDirectory("bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        for options in [GeneratorOptions(models: []), GeneratorOptions(unverifiablePerModel: 0, cleanPerModel: 0),
                        GeneratorOptions(timeout: 0), GeneratorOptions(attack: HidingAttack(restarts: 0))] {
            #expect(throws: SoundnessBenchError.self) { try BenchmarkGenerator(options: options).generate(into: directory) }
        }
    }
}
