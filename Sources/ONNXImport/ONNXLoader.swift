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

    /// Reads and imports the model at `url`; messages name the file by its last path component.
    /// - Throws: `ONNXError` when the file cannot be read or imported.
    /// - Complexity: O(file size + entries of the dense layers built).
    public static func load(contentsOf url: URL) throws -> Network {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let size = (attributes[.size] as? NSNumber)?.intValue, size > maximumFileSize {
                throw ONNXError.unreadableFile(
                    file: url.lastPathComponent,
                    reason: "the file has \(size) bytes, more than the \(maximumFileSize) a protobuf message can hold")
            }
            if attributes[.type] as? FileAttributeType == .typeRegular || attributes[.type] as? FileAttributeType == .typeDirectory {
                data = try Data(contentsOf: url)
            } else {
                // A pipe or a device has no size to check in advance (`/dev/zero` never ends).
                guard let read = try readStream(url, limit: maximumFileSize) else {
                    throw ONNXError.unreadableFile(file: url.lastPathComponent,
                                                   reason: "the stream holds more than the \(maximumFileSize) bytes a protobuf message can hold")
                }
                data = read
            }
        } catch let error as ONNXError {
            throw error
        } catch {
            throw ONNXError.unreadableFile(file: url.lastPathComponent, reason: error.localizedDescription)
        }
        return try load(data: data, fileName: url.lastPathComponent)
    }

    /// The whole of a stream (a pipe, a device) if it ends within `limit` bytes, else nil;
    /// reads at most `limit + 1` bytes.
    private static func readStream(_ url: URL, limit: Int) throws -> Data? {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var data = Data()
        while data.count <= limit {
            guard let chunk = try handle.read(upToCount: min(1 << 20, limit + 1 - data.count)), !chunk.isEmpty else { return data }
            data.append(chunk)
        }
        return nil
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
            throw ONNXError.malformedProtobuf(file: fileName, reason: "\(error)")
        }
    }

    /// Imports an already decoded model (for instance one built in memory by a writer).
    /// - Throws: `ONNXError`.
    public static func load(model: Onnx_ModelProto, fileName: String) throws -> Network {
        var importer = try GraphImporter(model: model, file: fileName)
        return try importer.importNetwork()
    }
}
