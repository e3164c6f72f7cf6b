import Foundation
import NetworkIR
@testable import ONNXImport

/// Builds small ONNX models in memory with the generated protobuf types: the tests' way to reach
/// error paths no exporter would produce, and a check that the types can write valid models.
enum TestModel {
    static func tensor(_ name: String, _ dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.rawData = values.withUnsafeBufferPointer { buffer in
            Data(buffer.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        }
        return tensor
    }

    static func int64Tensor(_ name: String, _ values: [Int64]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = [Int64(values.count)]
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.int64Data = values
        return tensor
    }

    static func node(_ opType: String, _ inputs: [String], _ outputs: [String], name: String = "",
                     domain: String = "", attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = opType
        node.input = inputs
        node.output = outputs
        node.name = name
        node.domain = domain
        node.attribute = attributes
        return node
    }

    static func attribute(_ name: String, int: Int64) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = int
        return attribute
    }

    static func attribute(_ name: String, float: Float) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .float
        attribute.f = float
        return attribute
    }

    static func attribute(_ name: String, ints: [Int64]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = ints
        return attribute
    }

    static func attribute(_ name: String, string: String) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .string
        attribute.s = Data(string.utf8)
        return attribute
    }

    static func valueInfo(_ name: String, _ dims: [Int64?], elementType: Onnx_TensorProto.DataType = .float) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(elementType.rawValue)
        tensorType.shape.dim = dims.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let size { dimension.dimValue = size } else { dimension.dimParam = "N" }
            return dimension
        }
        info.type.tensorType = tensorType
        return info
    }

    static func model(_ nodes: [Onnx_NodeProto], inputs: [Onnx_ValueInfoProto], output: Onnx_ValueInfoProto,
                      initializers: [Onnx_TensorProto] = [], opset: Int64 = 13) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = "test"
        graph.node = nodes
        graph.input = inputs
        graph.output = [output]
        graph.initializer = initializers
        var opsetID = Onnx_OperatorSetIdProto()
        opsetID.domain = ""
        opsetID.version = opset
        var model = Onnx_ModelProto()
        model.irVersion = 7
        model.producerName = "certus-tests"
        model.opsetImport = [opsetID]
        model.graph = graph
        return model
    }

    /// Imports `model` after a round trip through its serialized bytes.
    static func load(_ model: Onnx_ModelProto, file: String = "test.onnx") throws -> Network {
        try ONNXLoader.load(data: model.serializedBytes(), fileName: file)
    }
}
