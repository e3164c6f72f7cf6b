import Foundation

/// Decoding of `TensorProto` messages, checking every declared size against the stored data
/// before anything is allocated from it.
extension TensorValue {
    /// Decodes a tensor stored as float32, float64, int64 or int32, from `raw_data`
    /// (little-endian) or from the typed field matching `data_type`.
    /// - Throws: `TensorProblem` for external data, bad dimensions, an unsupported type, a
    ///   length mismatch between dimensions and data, or a NaN/infinite real value.
    /// - Complexity: O(number of elements).
    init(decoding proto: Onnx_TensorProto) throws {
        if proto.dataLocation == .external { throw TensorProblem.externalData }
        let shape = try Shapes.validatedDimensions(proto.dims)
        // An empty tensor may declare any other dimensions without storing a byte; bounding the
        // product of the non-zero ones keeps every stride computed from the shape in range.
        // (A non-empty tensor is bounded by its data, checked below.)
        guard let count = Shapes.product(shape), count > 0 || Shapes.elementCount(shape.map { max($0, 1) }) != nil else {
            throw TensorProblem.invalidDimensions(proto.dims)
        }

        switch Int(proto.dataType) {
        case Onnx_TensorProto.DataType.float.rawValue:
            let values: [Double] = proto.hasRawData
                ? try Self.littleEndian(proto.rawData, count: count, as: UInt32.self).map { Double(Float(bitPattern: $0)) }
                : try Self.checked(proto.floatData, count: count).map(Double.init)
            try self.init(shape: shape, finite: values)
        case Onnx_TensorProto.DataType.double.rawValue:
            let values: [Double] = proto.hasRawData
                ? try Self.littleEndian(proto.rawData, count: count, as: UInt64.self).map(Double.init(bitPattern:))
                : try Self.checked(proto.doubleData, count: count)
            try self.init(shape: shape, finite: values)
        case Onnx_TensorProto.DataType.int64.rawValue:
            let values: [Int64] = proto.hasRawData
                ? try Self.littleEndian(proto.rawData, count: count, as: UInt64.self).map { Int64(bitPattern: $0) }
                : try Self.checked(proto.int64Data, count: count)
            self.init(shape: shape, elements: .integer(values))
        case Onnx_TensorProto.DataType.int32.rawValue:
            let values: [Int64] = proto.hasRawData
                ? try Self.littleEndian(proto.rawData, count: count, as: UInt32.self).map { Int64(Int32(bitPattern: $0)) }
                : try Self.checked(proto.int32Data, count: count).map(Int64.init)
            self.init(shape: shape, elements: .integer(values))
        default:
            throw TensorProblem.unsupportedDataType(proto.dataType)
        }
    }

    /// A real tensor, after checking that every value is finite.
    init(shape: [Int], finite values: [Double]) throws {
        if let bad = values.firstIndex(where: { !$0.isFinite }) { throw TensorProblem.nonFinite(index: bad) }
        self.init(shape: shape, elements: .real(values))
    }

    /// `values` when it holds exactly `count` elements.
    private static func checked<T>(_ values: [T], count: Int) throws -> [T] {
        guard values.count == count else { throw TensorProblem.dataLength(declared: count, available: values.count) }
        return values
    }

    /// Reads `count` little-endian words of `Word`'s width from `data`, after checking that
    /// `data` holds exactly that many.
    private static func littleEndian<Word: FixedWidthInteger>(_ data: Data, count: Int, as _: Word.Type) throws -> [Word] {
        let size = MemoryLayout<Word>.size
        guard data.count % size == 0 else { throw TensorProblem.raggedRawData(bytes: data.count, elementSize: size) }
        guard data.count / size == count else {
            throw TensorProblem.dataLength(declared: count, available: data.count / size)
        }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Word(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: Word.self)) }
        }
    }
}
