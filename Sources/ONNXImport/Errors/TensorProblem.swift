/// What is wrong with one constant tensor (an initializer or a `Constant` node's value).
public enum TensorProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// `data_type` is not one Certus reads (float32, float64, and int64/int32 for shapes).
    case unsupportedDataType(Int32)
    /// A dimension is negative or the element count overflows.
    case invalidDimensions([Int64])
    /// The dimensions declare more (or fewer) elements than the stored data holds.
    case dataLength(declared: Int, available: Int)
    /// `raw_data` is not a whole number of elements.
    case raggedRawData(bytes: Int, elementSize: Int)
    /// The values live in a separate file (`data_location = EXTERNAL`).
    case externalData
    /// A value is NaN or infinite.
    case nonFinite(index: Int)
    /// A divisor is zero.
    case zeroDivisor(index: Int)
    /// The tensor holds the wrong kind of number for its use (`"real"` or `"integer"`).
    case wrongKind(expected: String)

    /// The problem as the end of a sentence starting with the tensor's name.
    public var description: String {
        switch self {
        case let .unsupportedDataType(type):
            "has unsupported data type \(TensorProblem.dataTypeName(type))"
        case let .invalidDimensions(dims):
            "has invalid dimensions \(dims)"
        case let .dataLength(declared, available):
            "declares \(declared) elements but its data holds \(available)"
        case let .raggedRawData(bytes, size):
            "has \(bytes) bytes of raw_data, not a whole number of \(size)-byte elements"
        case .externalData:
            "stores its data in an external file, which is not supported"
        case let .nonFinite(index):
            "has a NaN or infinite value at flat index \(index)"
        case let .zeroDivisor(index):
            "is used as a divisor but has a zero at flat index \(index)"
        case let .wrongKind(expected):
            expected == "integer"
                ? "must hold integers (int64 or int32)"
                : "must hold real numbers (float or double)"
        }
    }

    /// The ONNX name of a `TensorProto.DataType` code, with the code.
    static func dataTypeName(_ code: Int32) -> String {
        let names = ["UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING",
                     "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"]
        if code >= 0, Int(code) < names.count { return "\(names[Int(code)]) (\(code))" }
        return "\(code)"
    }
}
