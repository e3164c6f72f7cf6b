import Foundation

/// A node's attributes by name, with typed accessors that report errors against the node.
///
/// Attributes outside the operator's `allowed` set are rejected rather than ignored: an unknown
/// attribute may change the operator's meaning, and importing a different function than the
/// file describes would make every later proof meaningless.
struct NodeAttributes {
    private let byName: [String: Onnx_AttributeProto]
    private let file: String
    private let node: NodeLocation

    /// Collects the attributes of `proto`.
    /// - Throws: `ONNXError.unsupportedAttribute` for an attribute not in `allowed` or one that
    ///   refers to a function's attribute (`ref_attr_name`).
    init(_ proto: Onnx_NodeProto, allowed: Set<String>, file: String, node: NodeLocation) throws {
        var byName: [String: Onnx_AttributeProto] = [:]
        for attribute in proto.attribute {
            guard allowed.contains(attribute.name), attribute.refAttrName.isEmpty else {
                throw ONNXError.unsupportedAttribute(file: file, node: node, attribute: attribute.name,
                                                     value: Self.display(attribute))
            }
            byName[attribute.name] = attribute
        }
        self.byName = byName
        self.file = file
        self.node = node
    }

    /// True when the attribute is present.
    func contains(_ name: String) -> Bool { byName[name] != nil }

    /// An `INT` attribute, or nil when absent.
    func int(_ name: String) throws -> Int? {
        guard let attribute = try typed(name, .int, present: \.hasI) else { return nil }
        return try integer(attribute.i, name)
    }

    /// An `INT` attribute, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int) throws -> Int {
        try int(name) ?? defaultValue
    }

    /// An `INTS` attribute, or nil when absent.
    func ints(_ name: String) throws -> [Int]? {
        guard let attribute = try typed(name, .ints, present: { !$0.ints.isEmpty }) else { return nil }
        return try attribute.ints.map { try integer($0, name) }
    }

    /// A `FLOAT` attribute (exactly widened to Double), or `defaultValue` when absent.
    func float(_ name: String, default defaultValue: Double) throws -> Double {
        guard let attribute = try typed(name, .float, present: \.hasF) else { return defaultValue }
        guard attribute.f.isFinite else {
            throw ONNXError.invalidAttribute(file: file, node: node, attribute: name, reason: "value \(attribute.f) is not finite")
        }
        return Double(attribute.f)
    }

    /// A `FLOATS` attribute, or nil when absent.
    func floats(_ name: String) throws -> [Double]? {
        guard let attribute = try typed(name, .floats, present: { !$0.floats.isEmpty }) else { return nil }
        return attribute.floats.map(Double.init)
    }

    /// A `STRING` attribute decoded as UTF-8, or nil when absent.
    func string(_ name: String) throws -> String? {
        guard let attribute = try typed(name, .string, present: \.hasS) else { return nil }
        guard let text = String(bytes: attribute.s, encoding: .utf8) else {
            throw ONNXError.invalidAttribute(file: file, node: node, attribute: name, reason: "not UTF-8 text")
        }
        return text
    }

    /// A `TENSOR` attribute, or nil when absent.
    func tensor(_ name: String) throws -> Onnx_TensorProto? {
        try typed(name, .tensor, present: \.hasT)?.t
    }

    /// The attribute `name` after checking its declared type; files from old exporters leave
    /// `type` unset, and then the value field must be present instead.
    private func typed(_ name: String, _ type: Onnx_AttributeProto.AttributeType,
                       present: (Onnx_AttributeProto) -> Bool) throws -> Onnx_AttributeProto? {
        guard let attribute = byName[name] else { return nil }
        let matches = attribute.type == .undefined ? present(attribute) : attribute.type == type
        guard matches else {
            throw ONNXError.invalidAttribute(file: file, node: node, attribute: name,
                                             reason: "expected type \(Self.typeName(type)), found \(Self.typeName(attribute.type))")
        }
        return attribute
    }

    private func integer(_ value: Int64, _ name: String) throws -> Int {
        guard let result = Int(exactly: value) else {
            throw ONNXError.invalidAttribute(file: file, node: node, attribute: name, reason: "value \(value) is out of range")
        }
        return result
    }

    /// The attribute's value as short text for messages (`1`, `[1, 2]`, `'SAME_UPPER'`).
    static func display(_ attribute: Onnx_AttributeProto) -> String {
        switch attribute.type {
        case .int: return "\(attribute.i)"
        case .float: return "\(attribute.f)"
        case .ints: return "\(attribute.ints)"
        case .floats: return "\(attribute.floats)"
        case .string: return "'\(String(decoding: attribute.s, as: UTF8.self))'"
        case .undefined:
            if attribute.hasI { return "\(attribute.i)" }
            if attribute.hasF { return "\(attribute.f)" }
            if !attribute.ints.isEmpty { return "\(attribute.ints)" }
            return "<value>"
        default: return "<\(typeName(attribute.type))>"
        }
    }

    /// The ONNX spelling of an attribute type.
    static func typeName(_ type: Onnx_AttributeProto.AttributeType) -> String {
        switch type {
        case .undefined: "UNDEFINED"
        case .float: "FLOAT"
        case .int: "INT"
        case .string: "STRING"
        case .tensor: "TENSOR"
        case .graph: "GRAPH"
        case .floats: "FLOATS"
        case .ints: "INTS"
        case .strings: "STRINGS"
        case .tensors: "TENSORS"
        case .graphs: "GRAPHS"
        case .sparseTensor: "SPARSE_TENSOR"
        case .sparseTensors: "SPARSE_TENSORS"
        case .typeProto: "TYPE_PROTO"
        case .typeProtos: "TYPE_PROTOS"
        }
    }
}
