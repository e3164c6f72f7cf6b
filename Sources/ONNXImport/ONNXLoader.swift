import FileReading
import Foundation
import NetworkIR
import SwiftProtobuf

/// Imports ONNX models as `Network`s.
///
/// Supported: the operators of VNN-COMP's fully connected and small convolutional benchmarks
/// (Gemm, MatMul, Add, Sub, Mul, Div with constant operands, Relu, Flatten, Reshape, Identity,
/// Constant, Squeeze, Unsqueeze, Transpose, BatchNormalization, Conv with group 1, Dropout at
/// inference), float32 or float64 weights, one real input and one output. Graphs that are not
/// single chains (skip connections, `Add`/`Sub` of two computed tensors, `Concat`, `Slice`,
/// `Split`) are imported as a `NetworkGraph` and lowered to a chain exactly.
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
        return try load(data: readModelFile(url, file: file), fileName: file)
    }

    /// The bytes of the model file at `url`, read under the protobuf size limit.
    private static func readModelFile(_ url: URL, file: String) throws -> Data {
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
        return data
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
    /// A graph that is not a single chain is lowered without a box (`NetworkGraph.chain()`);
    /// use `loadGraph` and lower it over the property's box to keep bounds tight.
    public static func load(model: Onnx_ModelProto, fileName: String) throws -> Network {
        try loadGraph(model: model, fileName: fileName).chain()
    }

    /// Reads the model at `url` as a graph, to be lowered over an input box.
    /// - Throws: `ONNXError`.
    public static func loadGraph(contentsOf url: URL, fileName: String? = nil) throws -> NetworkGraph {
        let file = fileName ?? url.lastPathComponent
        return try loadGraph(model: decodeModel(data: readModelFile(url, file: file), fileName: file), fileName: file)
    }

    /// Imports an already decoded model as a graph: a chain when it is one (imported exactly as
    /// by `load`), otherwise a graph of nodes.
    /// - Throws: `ONNXError`.
    public static func loadGraph(model: Onnx_ModelProto, fileName: String) throws -> NetworkGraph {
        let importer = try GraphImporter(model: model, file: fileName)
        var chainImporter = importer
        do {
            return NetworkGraph(chain: try chainImporter.importNetwork(), file: fileName)
        } catch let error as ONNXError where GraphImporter.callsForGraph(error) {
            var graphImporter = importer
            return try graphImporter.importGraph()
        }
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
