import Foundation
import Testing
import TestSupport
@testable import ONNXImport

/// Every malformed fixture is rejected with the expected error and message.
@Suite struct MalformedModelTests {
    /// A fixture, the error it must raise, and that error's message.
    struct Expectation: Sendable, CustomTestStringConvertible {
        let file: String
        let error: ONNXError
        let message: String
        var testDescription: String { file }
    }

    static func node(_ index: Int, _ name: String, _ opType: String) -> NodeLocation {
        NodeLocation(index: index, name: name, opType: opType)
    }

    static func node(_ index: Int, _ opType: String) -> NodeLocation {
        NodeLocation(index: index, name: "", opType: opType)
    }

    /// The operator list every unsupported-operator message ends with.
    static let supported = ONNXLoader.supportedOperators.joined(separator: ", ")

    static let expectations: [Expectation] = [
        Expectation(
            file: "bad_unsupported_op.onnx",
            error: .unsupportedOperator(file: "bad_unsupported_op.onnx", node: node(1, "softmax", "Softmax")),
            message: "bad_unsupported_op.onnx: node 1 'softmax' (Softmax): operator 'Softmax' is not supported (supported: \(supported))"),
        Expectation(
            file: "bad_two_inputs.onnx",
            error: .inputCount(file: "bad_two_inputs.onnx", inputs: ["x", "z"]),
            message: "bad_two_inputs.onnx: the graph has 2 real inputs ('x', 'z'); exactly one is supported"),
        Expectation(
            file: "bad_nan_weight.onnx",
            error: .invalidTensor(file: "bad_nan_weight.onnx", node: node(0, "mm", "MatMul"), tensor: "W",
                                  problem: .nonFinite(index: 3)),
            message: "bad_nan_weight.onnx: node 0 'mm' (MatMul): tensor 'W' has a NaN or infinite value at flat index 3"),
        Expectation(
            file: "bad_truncated_raw.onnx",
            error: .invalidTensor(file: "bad_truncated_raw.onnx", node: node(0, "MatMul"), tensor: "W",
                                  problem: .dataLength(declared: 12, available: 10)),
            message: "bad_truncated_raw.onnx: node 0 (MatMul): tensor 'W' declares 12 elements but its data holds 10"),
        Expectation(
            file: "bad_huge_dims.onnx",
            error: .invalidTensor(file: "bad_huge_dims.onnx", node: node(0, "mm", "MatMul"), tensor: "W",
                                  problem: .dataLength(declared: 1_000_000_000_000, available: 3)),
            message: "bad_huge_dims.onnx: node 0 'mm' (MatMul): tensor 'W' declares 1000000000000 elements but its data holds 3"),
        Expectation(
            file: "bad_transA.onnx",
            error: .unsupportedAttribute(file: "bad_transA.onnx", node: node(3, "Gemm_7", "Gemm"), attribute: "transA", value: "1"),
            message: "bad_transA.onnx: node 3 'Gemm_7' (Gemm): attribute transA=1 is not supported"),
        Expectation(
            file: "bad_branch.onnx",
            error: .unsupportedOperator(file: "bad_branch.onnx", node: node(1, "right", "Neg")),
            message: "bad_branch.onnx: node 1 'right' (Neg): operator 'Neg' is not supported (supported: \(supported))"),
        Expectation(
            file: "bad_float16.onnx",
            error: .invalidTensor(file: "bad_float16.onnx", node: node(0, "MatMul"), tensor: "W", problem: .unsupportedDataType(10)),
            message: "bad_float16.onnx: node 0 (MatMul): tensor 'W' has unsupported data type FLOAT16 (10)"),
        Expectation(
            file: "bad_dimension_mismatch.onnx",
            error: .dimensionMismatch(file: "bad_dimension_mismatch.onnx", node: node(0, "mm", "MatMul"),
                                      reason: "input of shape [1, 4] cannot multiply 'W' of shape [5, 3]"),
            message: "bad_dimension_mismatch.onnx: node 0 'mm' (MatMul): dimension mismatch: input of shape [1, 4] cannot multiply 'W' of shape [5, 3]"),
        Expectation(
            file: "bad_missing_attribute.onnx",
            error: .missingAttribute(file: "bad_missing_attribute.onnx", node: node(0, "Unsqueeze"), attribute: "axes"),
            message: "bad_missing_attribute.onnx: node 0 (Unsqueeze): required attribute 'axes' is missing"),
        Expectation(
            file: "bad_variable_divisor.onnx",
            error: .unsupportedUse(file: "bad_variable_divisor.onnx", node: node(0, "Div"),
                                   reason: "Div by the tensor computed from the network input is not supported (not piecewise linear)"),
            message: "bad_variable_divisor.onnx: node 0 (Div): Div by the tensor computed from the network input is not supported (not piecewise linear)"),
        Expectation(
            file: "bad_group_conv.onnx",
            error: .unsupportedAttribute(file: "bad_group_conv.onnx", node: node(0, "Conv"), attribute: "group", value: "2"),
            message: "bad_group_conv.onnx: node 0 (Conv): attribute group=2 is not supported"),
        Expectation(
            file: "bad_external_data.onnx",
            error: .invalidTensor(file: "bad_external_data.onnx", node: node(0, "MatMul"), tensor: "W", problem: .externalData),
            message: "bad_external_data.onnx: node 0 (MatMul): tensor 'W' stores its data in an external file, which is not supported"),
        Expectation(
            file: "bad_output_shape.onnx",
            error: .invalidModel(file: "bad_output_shape.onnx",
                                 problem: "output 'y' is declared with shape [1, 5] but the graph computes shape [1, 2]"),
            message: "bad_output_shape.onnx: output 'y' is declared with shape [1, 5] but the graph computes shape [1, 2]"),
    ]

    @Test(arguments: expectations)
    func rejectsWithExpectedError(_ expectation: Expectation) throws {
        let error = #expect(throws: ONNXError.self) {
            try ONNXLoader.load(contentsOf: Fixtures.url("onnx/\(expectation.file)"))
        }
        #expect(error == expectation.error)
        #expect(error?.description == expectation.message)
    }

    @Test func truncatedProtobufIsMalformed() throws {
        let error = #expect(throws: ONNXError.self) {
            try ONNXLoader.load(contentsOf: Fixtures.url("onnx/bad_protobuf.onnx"))
        }
        guard case let .malformedProtobuf(file, _)? = error else { throw Failure("expected malformedProtobuf, got \(String(describing: error))") }
        #expect(file == "bad_protobuf.onnx")
        #expect(error?.description.hasPrefix("bad_protobuf.onnx: not a valid ONNX protobuf: ") == true)
        // In plain words, not the protobuf decoder's enum case names.
        #expect(error?.description.contains("malformedProtobuf") == false)
    }

    @Test func missingFileIsUnreadable() {
        let error = #expect(throws: ONNXError.self) {
            try ONNXLoader.load(contentsOf: Fixtures.url("onnx/no_such_model.onnx"))
        }
        guard case let .unreadableFile(file, _)? = error else {
            Issue.record("expected unreadableFile, got \(String(describing: error))")
            return
        }
        #expect(file == "no_such_model.onnx")
        #expect(error?.description.hasSuffix("cannot read the file: no such file") == true, "\(String(describing: error))")
    }

    @Test func emptyDataHasNoGraph() {
        #expect(throws: ONNXError.invalidModel(file: "empty.onnx", problem: "the model has no graph")) {
            try ONNXLoader.load(data: Data(), fileName: "empty.onnx")
        }
    }
}
