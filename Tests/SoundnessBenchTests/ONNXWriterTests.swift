import Foundation
import NetworkIR
import ONNXImport
import Search
import Testing
@testable import SoundnessBench

@Suite struct ONNXWriterTests {
    /// A writer is only as good as its reader's agreement: every architecture the generator
    /// writes must load back through `ONNXLoader` and compute what `BenchModel.evaluate` does.
    @Test(arguments: ["mlp:5:8x6:3:pocket", "cnn:1x6x6:3k3s1:8:2:pocket", "cnn:2x7x7:3k3s2,4k3s1:10x6:3:pocket"])
    func writtenModelsLoadBackAndAgree(spec text: String) throws {
        let spec = try ModelSpec.parse(text)
        var rng = SplitMix64(seed: 7)
        for usesMatMul in [false, true] where spec.kind == .mlp || !usesMatMul {
            let network = RandomNetworks.make(spec, usesMatMul: usesMatMul, rng: &rng).roundedToFloat32
            let model = try network.model()
            let loaded = try ONNXLoader.load(data: try ONNXWriter.data(for: model, name: "t.onnx"), fileName: "t.onnx")
            #expect(loaded.inputSize == spec.inputSize && loaded.outputSize == spec.classes)
            for _ in 0..<5 {
                let x = (0..<spec.inputSize).map { _ in rng.nextDouble(in: -1, 1) }
                let expected = model.evaluate(x), actual = loaded.evaluate(x)
                for (a, b) in zip(expected, actual) { #expect(abs(a - b) <= 1e-12 * max(1, abs(a))) }
            }
        }
    }

    @Test func exactDecimalsReadBackExactly() throws {
        #expect(ExactDecimal.string(0) == "0")
        #expect(ExactDecimal.string(-2) == "-2")
        #expect(ExactDecimal.string(0.5) == "0.5")
        #expect(ExactDecimal.string(Double(Float(0.1))) == "0.100000001490116119384765625")
        #expect(ExactDecimal.string(-0x1p-3) == "-0.125")
        for value in [Double(Float(-0.7123)), 3.25e-7, -1e-300, 123456.789] {
            let text = ExactDecimal.string(value)
            #expect(!text.contains("e"))
            #expect(Double(text) == value)
        }
    }
}
