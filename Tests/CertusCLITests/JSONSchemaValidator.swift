import Foundation

/// Checks a JSON document against a JSON Schema (draft 2020-12), for the subset the schemas in
/// docs/schema use: `type` (one name or a list), `enum`, `const`, `required`, `properties`,
/// `additionalProperties: false`, `items`, `minimum`, and `$ref` into `#/$defs/`. A schema that
/// uses any other keyword is rejected rather than half-checked, so a test built on this
/// validator cannot pass by ignoring part of the schema. `description`, `title`, `$schema` and
/// `$defs` are annotations and containers, not constraints.
struct JSONSchemaValidator {
    let root: JSONValue

    static let annotations: Set<String> = ["description", "title", "$schema", "$defs"]
    static let constraints: Set<String> = ["type", "enum", "const", "required", "properties", "additionalProperties",
                                           "items", "minimum", "$ref"]

    struct UnsupportedKeyword: Error, CustomStringConvertible {
        var keyword: String
        var description: String { "the schema uses \(keyword), which this validator does not implement" }
    }

    init(schema: JSONValue) {
        root = schema
    }

    /// Every violation of the schema by `document`, one line each (`$.path: problem`); empty
    /// when the document is valid.
    func violations(of document: JSONValue) throws -> [String] {
        var found: [String] = []
        try check(document, against: root, at: "$", into: &found)
        return found
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, into found: inout [String]) throws {
        guard case let .object(keywords) = schema else {
            if schema == .bool(true) { return }
            if schema == .bool(false) { found.append("\(path): no value is allowed here"); return }
            throw UnsupportedKeyword(keyword: "a schema that is not an object")
        }
        for keyword in keywords.keys where !Self.annotations.contains(keyword) && !Self.constraints.contains(keyword) {
            throw UnsupportedKeyword(keyword: keyword)
        }
        if let extra = keywords["additionalProperties"], extra != .bool(false) {
            throw UnsupportedKeyword(keyword: "additionalProperties other than false")
        }
        if case let .string(reference)? = keywords["$ref"] {
            try check(value, against: resolve(reference), at: path, into: &found)
        }
        if let type = keywords["type"] {
            let allowed: [String]
            switch type {
            case let .string(name): allowed = [name]
            case let .array(names): allowed = names.compactMap { if case let .string(n) = $0 { n } else { nil } }
            default: throw UnsupportedKeyword(keyword: "type that is neither a name nor a list")
            }
            if value.typeNames.isDisjoint(with: allowed) {
                found.append("\(path): expected \(allowed.joined(separator: " or ")), found \(value.typeNames.sorted().joined(separator: "/"))")
            }
        }
        if case let .array(options)? = keywords["enum"], !options.contains(value) {
            found.append("\(path): \(value) is not one of the allowed values")
        }
        if let constant = keywords["const"], constant != value {
            found.append("\(path): expected \(constant), found \(value)")
        }
        if case let .number(minimum)? = keywords["minimum"], case let .number(x) = value, x < minimum {
            found.append("\(path): \(x) is below the minimum \(minimum)")
        }
        if case let .object(members) = value {
            if case let .array(required)? = keywords["required"] {
                for case let .string(name) in required where members[name] == nil {
                    found.append("\(path): the required member \(name) is missing")
                }
            }
            var properties: [String: JSONValue] = [:]
            if case let .object(declared)? = keywords["properties"] { properties = declared }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let memberSchema = properties[name] {
                    try check(member, against: memberSchema, at: "\(path).\(name)", into: &found)
                } else if keywords["additionalProperties"] == .bool(false) {
                    found.append("\(path): the member \(name) is not in the schema")
                }
            }
        }
        if case let .array(elements) = value, let itemSchema = keywords["items"] {
            for (index, element) in elements.enumerated() {
                try check(element, against: itemSchema, at: "\(path)[\(index)]", into: &found)
            }
        }
    }

    /// The schema at `#/$defs/NAME`.
    private func resolve(_ reference: String) throws -> JSONValue {
        let prefix = "#/$defs/"
        guard reference.hasPrefix(prefix), case let .object(top) = root, case let .object(definitions)? = top["$defs"],
              let target = definitions[String(reference.dropFirst(prefix.count))] else {
            throw UnsupportedKeyword(keyword: "$ref \(reference)")
        }
        return target
    }
}
