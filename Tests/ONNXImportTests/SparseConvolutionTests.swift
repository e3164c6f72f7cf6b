import NetworkIR
import Testing
@testable import ONNXImport

/// Convolutions whose dense lowering would exceed `AffineStep.convolutionSparseThreshold` entries are
/// stored sparse: only the kernel's nonzero weights, and the network computes the same
/// convolution as a direct loop.
@Suite struct SparseConvolutionTests {
    typealias M = TestModel

    /// Two `[k, 1]` convolutions over a 40 × 20 single-channel image, as in collins_rul_cnn
    /// (7,200 × 800 and 2,560 × 7,200 dense entries), with a ReLU between and a batch-norm-like
    /// `Mul`/`Add` by constants after the first (folded into its rows exactly).
    static func model() -> (model: Onnx_ModelProto, k1: [Float], b1: [Float], k2: [Float]) {
        let k1: [Float] = (0..<50).map { Float(($0 * 7) % 11) / 4 - 1.25 }     // 10 × 1 × 5 × 1, some zeros
        let b1: [Float] = (0..<10).map { Float($0) / 8 - 0.5 }
        let k2: [Float] = (0..<200).map { Float(($0 * 5) % 13) / 8 - 0.75 }    // 4 × 10 × 5 × 1
        let scale: [Float] = (0..<7200).map { _ in 2 }
        let shift: [Float] = (0..<7200).map { Float($0 % 3) / 4 }
        let model = M.model([
            M.node("Conv", ["x", "K1", "B1"], ["c1"], attributes: [M.attribute("kernel_shape", ints: [5, 1])]),
            M.node("Mul", ["c1", "S"], ["m1"]),
            M.node("Add", ["m1", "T"], ["a1"]),
            M.node("Relu", ["a1"], ["r1"]),
            M.node("Conv", ["r1", "K2"], ["y"]),
        ], inputs: [M.valueInfo("x", [1, 1, 40, 20])], output: M.valueInfo("y", [1, 4, 32, 20]), initializers: [
            M.tensor("K1", [10, 1, 5, 1], k1), M.tensor("B1", [10], b1), M.tensor("K2", [4, 10, 5, 1], k2),
            M.tensor("S", [1, 10, 36, 20], scale), M.tensor("T", [1, 10, 36, 20], shift),
        ])
        return (model, k1, b1, k2)
    }

    @Test func largeConvolutionsAreStoredSparseAndComputeTheConvolution() throws {
        let (model, k1, b1, k2) = Self.model()
        let network = try M.load(model)
        let affine = network.layers.compactMap { if case let .affine(a) = $0 { a } else { nil } }
        #expect(affine.count == 2)
        for layer in affine {
            guard case .sparse = layer.matrix else { Issue.record("layer of \(layer.outputSize)×\(layer.inputSize) is dense"); continue }
        }
        // Nonzero kernel weights only: one per nonzero kernel weight and output position.
        #expect(affine[0].matrix.storedCount == 720 * k1.filter { $0 != 0 }.count)
        #expect(affine[1].matrix.storedCount == 2560 * 10 * 5 - 2560 / 4 * k2.filter { $0 == 0 }.count)
        let x = (0..<800).map { Double(($0 * 37) % 101) / 50 - 1 }
        // The direct convolution in double precision, summed in the importer's column order.
        var r1 = [Double](repeating: 0, count: 7200)
        for m in 0..<10 {
            for h in 0..<36 {
                for w in 0..<20 {
                    var sum = 0.0
                    for kk in 0..<5 where k1[m * 5 + kk] != 0 { sum += Double(k1[m * 5 + kk]) * x[(h + kk) * 20 + w] }
                    let i = (m * 36 + h) * 20 + w
                    r1[i] = max(0, 2 * (sum + Double(b1[m])) + Double(i % 3) / 4)
                }
            }
        }
        var y = [Double](repeating: 0, count: 2560)
        for m in 0..<4 {
            for h in 0..<32 {
                for w in 0..<20 {
                    var sum = 0.0
                    for c in 0..<10 {
                        for kk in 0..<5 where k2[(m * 10 + c) * 5 + kk] != 0 {
                            sum += Double(k2[(m * 10 + c) * 5 + kk]) * r1[(c * 36 + h + kk) * 20 + w]
                        }
                    }
                    y[(m * 32 + h) * 20 + w] = sum
                }
            }
        }
        let out = network.evaluate(x)
        #expect(out.count == 2560)
        let worst = zip(out, y).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst < 1e-12, "largest relative difference \(worst)")
    }
}
