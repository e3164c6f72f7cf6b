import Foundation
import ONNXImport
import SwiftProtobuf

/// Serialises a `BenchModel` as a plain ONNX file (IR version 8, opset 13, float32 tensors)
/// with the protobuf messages of `ONNXImport`, so that Certus writes models without Python.
///
/// The graph is one chain `input → … → output` with batch size 1: `Gemm` (`transB = 1`),
/// `MatMul` + `Add`, `Conv`, `Relu` and `Flatten` (`axis = 1`), the operators VNN-COMP tools
/// (onnxruntime, Marabou's and α,β-CROWN's importers) all read. Parameters are stored as float32,
/// so a model should be rounded with `BenchModel.roundedToFloat32` before it is reasoned about.
public enum ONNXWriter {
    /// The ONNX IR version written.
    public static let irVersion: Int64 = 8
    /// The default-domain operator set written.
    public static let opsetVersion: Int64 = 13

    /// The model message for `model`.
    /// - Parameter name: the graph's name (informative only).
    public static func message(for model: BenchModel, name: String) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.input = [valueInfo("input", shape: [1] + model.inputShape)]
        var current = "input"
        for (index, operation) in model.operations.enumerated() {
            let isLast = index == model.operations.count - 1
            let output = isLast ? "output" : "t\(index)"
            switch operation {
            case let .gemm(dense):
                let w = "W\(index)", b = "B\(index)"
                graph.initializer.append(tensor(w, dims: [dense.outputCount, dense.inputCount], values: dense.weights.storage))
                graph.initializer.append(tensor(b, dims: [dense.outputCount], values: dense.bias))
                graph.node.append(node("Gemm", [current, w, b], [output], name: "gemm\(index)", attributes: [int("transB", 1)]))
            case let .matMul(dense):
                let w = "W\(index)", b = "B\(index)", product = "t\(index)_product"
                graph.initializer.append(tensor(w, dims: [dense.inputCount, dense.outputCount],
                                                values: dense.weights.transposed.storage))
                graph.initializer.append(tensor(b, dims: [dense.outputCount], values: dense.bias))
                graph.node.append(node("MatMul", [current, w], [product], name: "matmul\(index)", attributes: []))
                graph.node.append(node("Add", [product, b], [output], name: "add\(index)", attributes: []))
            case let .convolution(conv):
                let w = "W\(index)", b = "B\(index)"
                graph.initializer.append(tensor(w, dims: [conv.outputChannels, conv.inputChannels, conv.kernel, conv.kernel],
                                                values: conv.weights))
                graph.initializer.append(tensor(b, dims: [conv.outputChannels], values: conv.bias))
                let p = conv.padding
                graph.node.append(node("Conv", [current, w, b], [output], name: "conv\(index)", attributes: [
                    ints("kernel_shape", [conv.kernel, conv.kernel]), ints("strides", [conv.stride, conv.stride]),
                    ints("pads", [p, p, p, p]), ints("dilations", [1, 1]), int("group", 1),
                ]))
            case .relu:
                graph.node.append(node("Relu", [current], [output], name: "relu\(index)", attributes: []))
            case .flatten:
                graph.node.append(node("Flatten", [current], [output], name: "flatten\(index)", attributes: [int("axis", 1)]))
            }
            current = output
        }
        if model.operations.isEmpty {
            graph.node.append(node("Identity", ["input"], ["output"], name: "identity", attributes: []))
        }
        graph.output = [valueInfo("output", shape: [1, model.outputSize])]

        var message = Onnx_ModelProto()
        message.irVersion = irVersion
        message.producerName = "certus"
        message.producerVersion = "soundness-bench"
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        message.opsetImport = [opset]
        message.graph = graph
        return message
    }

    /// The bytes of the `.onnx` file for `model`.
    /// - Throws: `SoundnessBenchError.cannotWrite` if protobuf encoding fails.
    public static func data(for model: BenchModel, name: String) throws -> Data {
        do {
            return try message(for: model, name: name).serializedData()
        } catch {
            throw SoundnessBenchError.cannotWrite(path: name, reason: "protobuf encoding failed: \(error)")
        }
    }

    // MARK: - Messages

    static func valueInfo(_ name: String, shape: [Int]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var tensorShape = Onnx_TensorShapeProto()
        tensorShape.dim = shape.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.dimValue = Int64(size)
            return dimension
        }
        tensorType.shape = tensorShape
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }

    /// A float32 tensor; values are rounded to float32 and stored little-endian in `raw_data`.
    static func tensor(_ name: String, dims: [Int], values: [Double]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var bytes = Data(capacity: values.count * 4)
        for value in values {
            withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        tensor.rawData = bytes
        return tensor
    }

    static func node(_ opType: String, _ inputs: [String], _ outputs: [String], name: String,
                     attributes: [Onnx_AttributeProto]) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = opType
        node.input = inputs
        node.output = outputs
        node.name = name
        node.attribute = attributes
        return node
    }

    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }
}
