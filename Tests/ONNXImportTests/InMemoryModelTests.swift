import Foundation
import NetworkIR
import Testing
@testable import ONNXImport

/// Models built in memory: writing with the generated types, and error paths.
@Suite struct InMemoryModelTests {
    typealias M = TestModel
    static let file = "test.onnx"

    static func at(_ index: Int, _ opType: String, _ name: String = "") -> NodeLocation {
        NodeLocation(index: index, name: name, opType: opType)
    }

    /// y = [1 2; 3 4]·relu([1 -1; 0 2]·x + [0, -1]) + [0.5, 0]
    @Test func writtenModelRoundTrips() throws {
        let model = M.model([
            M.node("Gemm", ["x", "W1", "b1"], ["h"], attributes: [M.attribute("transB", int: 1)]),
            M.node("Relu", ["h"], ["r"]),
            M.node("Gemm", ["r", "W2", "b2"], ["y"], attributes: [M.attribute("transB", int: 1)]),
        ], inputs: [M.valueInfo("x", [1, 2])], output: M.valueInfo("y", [1, 2]), initializers: [
            M.tensor("W1", [2, 2], [1, -1, 0, 2]), M.tensor("b1", [2], [0, -1]),
            M.tensor("W2", [2, 2], [1, 2, 3, 4]), M.tensor("b2", [2], [0.5, 0]),
        ])
        let network = try M.load(model)
        // x = (3, 1): h = (2, 1), r = (2, 1), y = (4.5, 10)
        #expect(network.evaluate([3, 1]) == [4.5, 10])
        #expect(network.evaluateFloat([3, 1]) == [4.5, 10])
        let reread = try ONNXLoader.decodeModel(data: model.serializedBytes(), fileName: Self.file)
        #expect(reread == model)
    }

    @Test func identityChainHasNoLayers() throws {
        let model = M.model([
            M.node("Mul", ["x", "one"], ["a"]), M.node("Div", ["a", "one"], ["b"]), M.node("Sub", ["b", "zero"], ["y"]),
        ], inputs: [M.valueInfo("x", [3])], output: M.valueInfo("y", [3]),
            initializers: [M.tensor("one", [], [1]), M.tensor("zero", [1], [0])])
        let network = try M.load(model)
        #expect(network.layers.isEmpty)
        #expect(network.evaluate([1, 2, 3]) == [1, 2, 3])
    }

    /// An output read by a later node is a graph, not an error: the later node is dead code.
    @Test func outputBeforeTheEndOfTheChainIsImported() throws {
        let model = M.model([M.node("Relu", ["x"], ["a"]), M.node("Relu", ["a"], ["b"])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("a", [2]))
        let network = try M.load(model)
        #expect(network.evaluate([-1, 2]) == [0, 2])
    }

    /// `x + x` reads the input twice: a sum of two computed tensors, imported as a graph.
    @Test func readingTheInputTwiceIsASum() throws {
        let model = M.model([M.node("Add", ["x", "x"], ["y"])], inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        let network = try M.load(model)
        #expect(network.evaluate([1.5, -3]) == [3, -6])
    }

    @Test func unknownTensor() {
        let model = M.model([M.node("MatMul", ["x", "W"], ["y"])], inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        #expect(throws: ONNXError.notAChain(file: Self.file, node: Self.at(0, "MatMul"),
                                            reason: "the node reads 'W', which is neither an initializer nor the output of an earlier supported node")) {
            try M.load(model)
        }
    }

    @Test func arithmeticOnConstantsOnlyIsRefused() {
        let model = M.model([M.node("Add", ["c", "c"], ["d"]), M.node("Add", ["x", "d"], ["y"])],
                            inputs: [M.valueInfo("x", [1])], output: M.valueInfo("y", [1]), initializers: [M.tensor("c", [1], [1])])
        #expect(throws: ONNXError.unsupportedUse(file: Self.file, node: Self.at(0, "Add"),
                                                 reason: "operator 'Add' with only constant inputs is not supported; fold it when exporting")) {
            try M.load(model)
        }
    }

    @Test func unknownAttributeIsRefused() {
        let model = M.model([M.node("Relu", ["x"], ["y"], attributes: [M.attribute("alpha", float: 0.5)])],
                            inputs: [M.valueInfo("x", [2])], output: M.valueInfo("y", [2]))
        #expect(throws: ONNXError.unsupportedAttribute(file: Self.file, node: Self.at(0, "Relu"), attribute: "alpha", value: "0.5")) {
            try M.load(model)
        }
    }

    @Test func attributeOfTheWrongType() {
        let model = M.model([M.node("Flatten", ["x"], ["y"], attributes: [M.attribute("axis", float: 1)])],
                            inputs: [M.valueInfo("x", [1, 2])], output: M.valueInfo("y", [1, 2]))
        #expect(throws: ONNXError.invalidAttribute(file: Self.file, node: Self.at(0, "Flatten"), attribute: "axis",
                                                   reason: "expected type INT, found FLOAT")) {
            try M.load(model)
        }
    }

    @Test func reshapeToAnIncompatibleShape() {
        let model = M.model([M.node("Reshape", ["x", "s"], ["y"], name: "r")], inputs: [M.valueInfo("x", [1, 6])],
                            output: M.valueInfo("y", [4, 2]), initializers: [M.int64Tensor("s", [4, -1])])
        #expect(throws: ONNXError.dimensionMismatch(file: Self.file, node: Self.at(0, "Reshape", "r"),
                                                    reason: "cannot reshape [1, 6] to [4, -1]")) {
            try M.load(model)
        }
    }

    @Test func kernelLargerThanTheImage() {
        let model = M.model([M.node("Conv", ["x", "K"], ["y"])], inputs: [M.valueInfo("x", [1, 1, 2, 2])],
                            output: M.valueInfo("y", [1, 1, 1, 1]), initializers: [M.tensor("K", [1, 1, 3, 3], Array(repeating: 1, count: 9))])
        #expect(throws: ONNXError.dimensionMismatch(file: Self.file, node: Self.at(0, "Conv"),
                                                    reason: "kernel extent 3 exceeds the padded input size 2 on spatial axis 0")) {
            try M.load(model)
        }
    }

    @Test func divisionByAZeroConstant() {
        let model = M.model([M.node("Div", ["x", "d"], ["y"])], inputs: [M.valueInfo("x", [2])],
                            output: M.valueInfo("y", [2]), initializers: [M.tensor("d", [2], [2, 0])])
        #expect(throws: ONNXError.invalidTensor(file: Self.file, node: Self.at(0, "Div"), tensor: "d", problem: .zeroDivisor(index: 1))) {
            try M.load(model)
        }
    }

    @Test func operatorOfAnotherDomain() {
        let model = M.model([M.node("Gelu", ["x"], ["y"], domain: "com.microsoft")], inputs: [M.valueInfo("x", [2])],
                            output: M.valueInfo("y", [2]))
        #expect(throws: ONNXError.unsupportedOperator(file: Self.file, node: Self.at(0, "com.microsoft.Gelu"))) {
            try M.load(model)
        }
    }

    @Test func batchNormalizationInTrainingMode() {
        let stats = ["s", "b", "m", "v"].map { M.tensor($0, [1], [1]) }
        let model = M.model([M.node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], attributes: [M.attribute("training_mode", int: 1)])],
                            inputs: [M.valueInfo("x", [1, 1])], output: M.valueInfo("y", [1, 1]), initializers: stats)
        #expect(throws: ONNXError.unsupportedAttribute(file: Self.file, node: Self.at(0, "BatchNormalization"),
                                                       attribute: "training_mode", value: "1")) {
            try M.load(model)
        }
    }

    /// A 10,000-wide shift would be 10^8 dense entries: it is stored sparse, one entry per row.
    @Test func hugeDiagonalIsStoredSparse() throws {
        let n: Int64 = 10_000
        let model = M.model([M.node("Add", ["x", "c"], ["a"], name: "shift"), M.node("Relu", ["a"], ["y"])],
                            inputs: [M.valueInfo("x", [1, n])], output: M.valueInfo("y", [1, n]),
                            initializers: [M.tensor("c", [1], [1])])
        let network = try M.load(model)
        guard case let .affine(shift) = network.layers.first, case .sparse = shift.matrix else {
            Issue.record("the shift is not a sparse affine layer")
            return
        }
        #expect(shift.matrix.storedCount == 10_000)
        let x = (0..<10_000).map { Double($0 % 7) - 3 }
        #expect(network.evaluate(x) == x.map { max(0, $0 + 1) })
    }

    @Test func inputDeclarations() {
        let integerInput = M.model([], inputs: [M.valueInfo("x", [2], elementType: .int64)], output: M.valueInfo("x", [2]))
        #expect(throws: ONNXError.invalidModel(file: Self.file, problem: "input 'x' has element type INT64 (7); only FLOAT and DOUBLE are supported")) {
            try M.load(integerInput)
        }
        let symbolicInner = M.model([], inputs: [M.valueInfo("x", [1, nil])], output: M.valueInfo("x", [1, 2]))
        #expect(throws: ONNXError.invalidModel(file: Self.file, problem: "input 'x' has dimension 1 that is not a positive number")) {
            try M.load(symbolicInner)
        }
    }

    @Test func tensorDecodingProblems() throws {
        var negative = M.tensor("W", [-1, 2], [])
        #expect(throws: TensorProblem.invalidDimensions([-1, 2])) { try TensorValue(decoding: negative) }
        negative.dims = [3]
        negative.rawData = Data([0, 0, 0, 0, 0])
        #expect(throws: TensorProblem.raggedRawData(bytes: 5, elementSize: 4)) { try TensorValue(decoding: negative) }
        var int32 = Onnx_TensorProto()
        int32.dims = [2]
        int32.dataType = Int32(Onnx_TensorProto.DataType.int32.rawValue)
        int32.int32Data = [7, -3]
        #expect(try TensorValue(decoding: int32) == TensorValue(shape: [2], elements: .integer([7, -3])))
        var doubles = Onnx_TensorProto()
        doubles.dims = [1, 2]
        doubles.dataType = Int32(Onnx_TensorProto.DataType.double.rawValue)
        doubles.doubleData = [0.1, .infinity]
        #expect(throws: TensorProblem.nonFinite(index: 1)) { try TensorValue(decoding: doubles) }
    }
}
