/// Why an ONNX model cannot be imported. Every message is one line that names the file and,
/// where there is one, the node and tensor at fault, e.g.
/// `model.onnx: node 3 'Gemm_7' (Gemm): attribute transA=1 is not supported`.
public enum ONNXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadableFile(file: String, reason: String)
    /// The bytes are not a protobuf encoding of an ONNX model.
    case malformedProtobuf(file: String, reason: String)
    /// The model as a whole does not fit Certus (no graph, several outputs, bad input declaration…).
    case invalidModel(file: String, problem: String)
    /// The graph does not have exactly one input that is not an initializer.
    case inputCount(file: String, inputs: [String])
    /// The node's operator is not one Certus imports.
    case unsupportedOperator(file: String, node: NodeLocation)
    /// A required attribute is absent.
    case missingAttribute(file: String, node: NodeLocation, attribute: String)
    /// The attribute is valid ONNX but Certus does not support this value.
    case unsupportedAttribute(file: String, node: NodeLocation, attribute: String, value: String)
    /// The attribute has the wrong type or an invalid value.
    case invalidAttribute(file: String, node: NodeLocation, attribute: String, reason: String)
    /// The operator is supported, but not in this form (e.g. a variable divisor).
    case unsupportedUse(file: String, node: NodeLocation, reason: String)
    /// The graph is not a single chain from the input to the output.
    case notAChain(file: String, node: NodeLocation?, reason: String)
    /// Tensor shapes do not fit the operator.
    case dimensionMismatch(file: String, node: NodeLocation, reason: String)
    /// A constant tensor is unusable; `node` is the node that reads it, when known.
    case invalidTensor(file: String, node: NodeLocation?, tensor: String, problem: TensorProblem)
    /// Lowering would need a dense matrix larger than Certus stores.
    case layerTooLarge(file: String, node: NodeLocation, rows: Int, columns: Int)

    /// One line naming the file, the node or tensor where known, and the problem. Names come
    /// from the file and may hold anything; control and line-separator characters in them are
    /// shown escaped (`\n`, `\u{1B}`), so the message stays one printable line.
    public var description: String {
        String(rawDescription.unicodeScalars.map { scalar -> String in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: scalar.escaped(asASCII: true)
            default: String(scalar)
            }
        }.joined())
    }

    private var rawDescription: String {
        switch self {
        case let .unreadableFile(file, reason):
            "\(file): cannot read the file: \(reason)"
        case let .malformedProtobuf(file, reason):
            "\(file): not a valid ONNX protobuf: \(reason)"
        case let .invalidModel(file, problem):
            "\(file): \(problem)"
        case let .inputCount(file, inputs):
            inputs.isEmpty
                ? "\(file): the graph has no input besides initializers; exactly one is supported"
                : "\(file): the graph has \(inputs.count) real inputs (\(inputs.map { "'\($0)'" }.joined(separator: ", "))); exactly one is supported"
        case let .unsupportedOperator(file, node):
            "\(file): \(node): operator '\(node.opType)' is not supported (supported: \(ONNXLoader.supportedOperators.joined(separator: ", ")))"
        case let .missingAttribute(file, node, attribute):
            "\(file): \(node): required attribute '\(attribute)' is missing"
        case let .unsupportedAttribute(file, node, attribute, value):
            "\(file): \(node): attribute \(attribute)=\(value) is not supported"
        case let .invalidAttribute(file, node, attribute, reason):
            "\(file): \(node): attribute '\(attribute)' is invalid: \(reason)"
        case let .unsupportedUse(file, node, reason):
            "\(file): \(node): \(reason)"
        case let .notAChain(file, node, reason):
            "\(file): \(node.map { "\($0): " } ?? "")\(reason)"
        case let .dimensionMismatch(file, node, reason):
            "\(file): \(node): dimension mismatch: \(reason)"
        case let .invalidTensor(file, node, tensor, problem):
            "\(file): \(node.map { "\($0): " } ?? "")tensor '\(tensor)' \(problem)"
        case let .layerTooLarge(file, node, rows, columns):
            "\(file): \(node): lowering needs a \(rows)x\(columns) dense matrix, more than the \(LayerBuilder.maximumDenseEntries) entries supported"
        }
    }
}
