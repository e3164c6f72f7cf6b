import FileReading
import Foundation
import NetworkIR
import SwiftProtobuf

/// Imports ONNX models as `Network`s.
///
/// Supported: the operators of VNN-COMP's fully connected and small convolutional benchmarks
/// (Gemm, MatMul, Add, Sub, Mul, Div with constant operands, Relu, Flatten, Reshape, Identity,
/// Constant, Squeeze, Unsqueeze, Transpose, BatchNormalization, Conv with group 1), float32 or
/// float64 weights, one real input, one output, and a graph that is a single chain.
///
/// The imported layers hold the stored weights exactly. Two linear operations are folded into
/// one layer only when every folded entry is exactly representable; batch normalisation is the
/// one exception, folded in double arithmetic (see `applyBatchNormalization`).
///
/// ```swift
/// let network = try ONNXLoader.load(contentsOf: URL(fileURLWithPath: "acasxu_1_1.onnx"))
/// let scores = network.evaluate([0.6, -0.5, 0.5, 0.45, -0.45])
/// ```
public enum ONNXLoader {
    /// The largest file read: protobuf messages cannot exceed 2 GiB, so a larger file cannot
    /// be a model, and is refused before it is read into memory.
    public static let maximumFileSize = Int(Int32.max)

    /// Reads and imports the model at `url`.
    /// - Parameter fileName: how messages name the file (the command line passes the path as
    ///   the user typed it); by default the file's last path component.
    /// - Throws: `ONNXError` when the file cannot be read or imported.
    /// - Complexity: O(file size + entries of the dense layers built).
    public static func load(contentsOf url: URL, fileName: String? = nil) throws -> Network {
        let file = fileName ?? url.lastPathComponent
        let data: Data
        do {
            data = try FileReader.contents(of: url, limit: maximumFileSize)
        } catch let .tooLarge(size?, limit) {
            throw ONNXError.unreadableFile(file: file, reason: "the file has \(size) bytes, more than the \(limit) a protobuf message can hold")
        } catch let .tooLarge(nil, limit) {
            throw ONNXError.unreadableFile(file: file, reason: "the stream holds more than the \(limit) bytes a protobuf message can hold")
        } catch let .unreadable(reason) {
            throw ONNXError.unreadableFile(file: file, reason: reason)
        }
        return try load(data: data, fileName: file)
    }

    /// Imports a model from its serialized bytes.
    /// - Parameters:
    ///   - data: the contents of an `.onnx` file.
    ///   - fileName: the name used in error messages.
    /// - Throws: `ONNXError`.
    public static func load(data: Data, fileName: String) throws -> Network {
        try load(model: decodeModel(data: data, fileName: fileName), fileName: fileName)
    }

    /// Decodes the protobuf message of an `.onnx` file without importing it.
    /// - Throws: `ONNXError.malformedProtobuf`.
    public static func decodeModel(data: Data, fileName: String) throws -> Onnx_ModelProto {
        do {
            return try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ONNXError.malformedProtobuf(file: fileName, reason: plainReason(error))
        }
    }

    /// Imports an already decoded model (for instance one built in memory by a writer).
    /// - Throws: `ONNXError`.
    public static func load(model: Onnx_ModelProto, fileName: String) throws -> Network {
        var importer = try GraphImporter(model: model, file: fileName)
        return try importer.importNetwork()
    }

    /// What the protobuf decoder's error means, in words (its enum case names mean nothing to
    /// someone who handed over the wrong file).
    static func plainReason(_ error: any Error) -> String {
        guard let error = error as? BinaryDecodingError else { return "the protobuf decoder rejected it" }
        switch error {
        case .truncated: return "the data ends in the middle of a field (a truncated file?)"
        case .malformedProtobuf: return "the bytes are not a protobuf message (is it an ONNX file?)"
        case .invalidUTF8: return "a text field is not valid UTF-8"
        case .trailingGarbage: return "bytes follow the end of the message"
        case .messageDepthLimit: return "messages are nested too deeply"
        case .missingRequiredFields: return "required fields are missing"
        default: return "the protobuf decoder rejected it"
        }
    }
}
