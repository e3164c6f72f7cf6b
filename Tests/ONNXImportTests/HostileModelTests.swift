import Foundation
import NetworkIR
import Testing
@testable import ONNXImport

/// Models written to hurt the importer, as untrusted files may: sizes declared without the
/// data to back them, shape arithmetic that overflows, and empty tensors that would let later
/// nodes claim astronomically large matrices. Each must be a clean `ONNXError`, found before
/// allocating.
@Suite struct HostileModelTests {
    typealias M = TestModel
    static let file = "test.onnx"

    static func at(_ index: Int, _ opType: String) -> NodeLocation {
        NodeLocation(index: index, name: "", opType: opType)
    }

    static func attribute(_ name: String, ints: [Int64]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = ints
        return attribute
    }

    /// A header claiming 10^12 elements with two stored: refused by comparing the counts.
    @Test func declaredSizeWithoutDataIsNotAllocated() {
        let model = M.model([M.node("MatMul", ["x", "W"], ["y"])], inputs: [M.valueInfo("x", [1, 1_000_000])],
                            output: M.valueInfo("y", [1, 1_000_000]),
                            initializers: [M.tensor("W", [1_000_000, 1_000_000], [1, 2])])
        #expect(throws: ONNXError.invalidTensor(file: Self.file, node: Self.at(0, "MatMul"), tensor: "W",
                                                problem: .dataLength(declared: 1_000_000_000_000, available: 2))) {
            try M.load(model)
        }
        var typed = M.tensor("W", [1_000_000, 1_000_000], [])
        typed.clearRawData()
        typed.floatData = [1, 2, 3]
        #expect(throws: TensorProblem.dataLength(declared: 1_000_000_000_000, available: 3)) { try TensorValue(decoding: typed) }
    }

    @Test func overflowingDimensionsAreInvalid() throws {
        let huge: Int64 = 1 << 40
        #expect(throws: TensorProblem.invalidDimensions([huge, huge])) { try TensorValue(decoding: M.tensor("W", [huge, huge], [])) }
        // Empty, so the product is 0, but the strides of the other axes would overflow.
        #expect(throws: TensorProblem.invalidDimensions([0, huge, huge])) { try TensorValue(decoding: M.tensor("W", [0, huge, huge], [])) }
        #expect(throws: TensorProblem.invalidDimensions([Int64.max, 2])) { try TensorValue(decoding: M.tensor("W", [Int64.max, 2], [])) }
        // An empty tensor with modest dimensions is still a tensor (e.g. no axes to squeeze).
        #expect(try TensorValue(decoding: M.tensor("W", [0, 3], [])).count == 0)
    }

    @Test func inputShapeOverflow() {
        let model = M.model([], inputs: [M.valueInfo("x", [1 << 31, 1 << 31, 1 << 31])], output: M.valueInfo("x", [1]))
        #expect(throws: ONNXError.invalidModel(file: Self.file, problem: "input 'x' has too many elements")) { try M.load(model) }
    }

    /// Gemm by a `2×0` matrix empties the tensor; a second Gemm by a `0×2^62` matrix would
    /// then pass the dense-size check (zero columns) and loop 2^62 times.
    @Test func emptyIntermediateTensorIsRefused() {
        let model = M.model([M.node("Gemm", ["x", "B1"], ["h"]), M.node("Gemm", ["h", "B2"], ["y"])],
                            inputs: [M.valueInfo("x", [1, 2])], output: M.valueInfo("y", [1, 4]),
                            initializers: [M.tensor("B1", [2, 0], []), M.tensor("B2", [0, 1 << 30], [])])
        #expect(throws: ONNXError.dimensionMismatch(file: Self.file, node: Self.at(0, "Gemm"),
                                                    reason: "the result has shape [1, 0]; it must have between 1 and 2147483648 elements")) {
            try M.load(model)
        }
    }

    @Test func convolutionWithAnEmptyKernel() {
        let model = M.model([M.node("Conv", ["x", "K"], ["y"])], inputs: [M.valueInfo("x", [1, 1, 4])],
                            output: M.valueInfo("y", [1, 1, 4]), initializers: [M.tensor("K", [1 << 30, 1, 0], [])])
        #expect(throws: ONNXError.dimensionMismatch(file: Self.file, node: Self.at(0, "Conv"),
                                                    reason: "kernel 'K' has shape [1073741824, 1, 0] with an empty dimension")) {
            try M.load(model)
        }
    }

    /// With wide padding a kernel can be far larger than the image: the matrix stays small
    /// (one input) but the table of kernel reads would have 2^34 entries.
    @Test func convolutionReadTableIsBounded() {
        let kernel = 1 << 13, pad: Int64 = 1 << 20
        let model = M.model([M.node("Conv", ["x", "K"], ["y"], attributes: [Self.attribute("pads", ints: [pad, pad])])],
                            inputs: [M.valueInfo("x", [1, 1, 1])], output: M.valueInfo("y", [1, 1, 1]),
                            initializers: [M.tensor("K", [1, 1, Int64(kernel)], Array(repeating: 1, count: kernel))])
        let outPixels = 1 + 2 * Int(pad) - kernel + 1
        #expect(throws: ONNXError.unsupportedUse(file: Self.file, node: Self.at(0, "Conv"),
                                                 reason: "the convolution has \(outPixels) output positions and \(kernel) kernel positions; more than 67108864 combinations are not supported")) {
            try M.load(model)
        }
    }

    @Test func reshapeOverflowIsAMismatch() {
        let model = M.model([M.node("Reshape", ["x", "s"], ["y"])], inputs: [M.valueInfo("x", [4])],
                            output: M.valueInfo("y", [4]), initializers: [M.int64Tensor("s", [1 << 40, 1 << 40, 0])])
        #expect(throws: ONNXError.self) { try M.load(model) }
        let allowZero = M.model([M.node("Reshape", ["x", "s"], ["y"], attributes: [M.attribute("allowzero", int: 1)])],
                                inputs: [M.valueInfo("x", [4])], output: M.valueInfo("y", [4]),
                                initializers: [M.int64Tensor("s", [0, -1])])
        #expect(throws: ONNXError.dimensionMismatch(file: Self.file, node: Self.at(0, "Reshape"), reason: "cannot reshape [4] to [0, -1]")) {
            try M.load(allowZero)
        }
    }

    @Test func oversizedFileIsRefusedBeforeReading() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).onnx")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(ONNXLoader.maximumFileSize) + 1)  // sparse: no disk used
        try handle.close()
        #expect(throws: ONNXError.unreadableFile(file: url.lastPathComponent,
                                                 reason: "the file has 2147483648 bytes, more than the 2147483647 a protobuf message can hold")) {
            try ONNXLoader.load(contentsOf: url)
        }
    }

    /// Found by the fuzzer: names from the file put raw newlines into the one-line message.
    @Test func namesWithControlCharactersAreEscaped() {
        let model = M.model([M.node("Mat\nl\u{11}", ["x"], ["y"], name: "a\u{2028}b")], inputs: [M.valueInfo("x", [2])],
                            output: M.valueInfo("y", [2]))
        let error = #expect(throws: ONNXError.self) { try M.load(model) }
        #expect(error?.description == #"test.onnx: node 0 'a\u{2028}b' (Mat\nl\u{11}): operator 'Mat\nl\u{11}' is not supported (supported: "#
                + ONNXLoader.supportedOperators.joined(separator: ", ") + ")")
    }

    @Test func emptyStreamHasNoGraph() {
        #expect(throws: ONNXError.invalidModel(file: "null", problem: "the model has no graph")) {
            try ONNXLoader.load(contentsOf: URL(fileURLWithPath: "/dev/null"))
        }
    }

    @Test func directoryIsUnreadable() {
        #expect(throws: ONNXError.self) { try ONNXLoader.load(contentsOf: FileManager.default.temporaryDirectory) }
    }
}
