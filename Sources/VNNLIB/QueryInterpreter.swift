/// Runs the top-level commands of a 2.0 query in order: the version header, the network
/// declarations (checked for scoping and the equivalence rules as they come), then the
/// assertions (see `QueryInterpreter+Assertions.swift`).
struct QueryInterpreter {
    var reader: SExpressionReader
    let limits: PropertyParser.Limits
    var networks: [NetworkDeclaration] = []
    /// Every declared name (networks and tensors) and where it was declared.
    var names: [String: SourceLocation] = [:]
    /// Tensors by name: network index and declaration.
    var tensors: [String: (network: Int, declaration: TensorDeclaration)] = [:]
    var elementCount = 0
    var formula = QueryFormula()
    var assertions: [QueryFormula.Reference] = []

    init(bytes: [UInt8], fileName: String, limits: PropertyParser.Limits) {
        reader = SExpressionReader(bytes: bytes, fileName: fileName, syntax: .version2, limits: limits)
        self.limits = limits
    }

    private var tree: SExpression { reader.expression }

    mutating func run() throws -> Query {
        guard let header = try reader.readNext() else {
            throw VNNLIBError.unexpected(SourceLocation(fileName: reader.fileName, line: 1, column: 1),
                                         expected: "(vnnlib-version <2.0>)", found: "end of file")
        }
        let version = try readVersion(header)
        var sawAssertion = false
        while let root = try reader.readNext() {
            let parts = tree.children(of: root)
            guard let head = parts.first, tree.nodes[head].kind == .symbol else {
                throw expected("'declare-network' or 'assert'", parts.first ?? root)
            }
            switch reader.text(of: head) {
            case "declare-network":
                if sawAssertion {
                    throw VNNLIBError.invalidQuery(reader.location(of: head),
                                                   message: "network declarations must come before all assertions")
                }
                try declareNetwork(root)
            case "assert":
                guard !networks.isEmpty else {
                    throw VNNLIBError.invalidQuery(reader.location(of: head), message: "an assertion before any network declaration")
                }
                guard parts.count == 2 else {
                    throw VNNLIBError.wrongArgumentCount(reader.location(of: root), operator: "assert",
                                                         expected: "1 argument", found: parts.count - 1)
                }
                sawAssertion = true
                assertions.append(try evaluateFormula(parts[parts.startIndex + 1]))
            case "vnnlib-version":
                throw VNNLIBError.invalidQuery(reader.location(of: head), message: "a second vnnlib-version header")
            default:
                throw VNNLIBError.unknownCommand(reader.location(of: head), name: reader.text(of: head))
            }
        }
        guard !networks.isEmpty else {
            throw VNNLIBError.invalidQuery(reader.location(of: header), message: "the query declares no network")
        }
        return Query(version: version, networks: networks, fileName: reader.fileName, formula: formula, assertions: assertions)
    }

    /// `(vnnlib-version <2.x>)`.
    private func readVersion(_ root: Int) throws -> (major: Int, minor: Int) {
        let parts = Array(tree.children(of: root))
        guard parts.count == 2, tree.nodes[parts[0]].kind == .symbol, reader.text(of: parts[0]) == "vnnlib-version" else {
            throw expected("(vnnlib-version <2.0>) as the first command", parts.first ?? root)
        }
        guard tree.nodes[parts[1]].kind == .version else { throw expected("a version such as <2.0>", parts[1]) }
        let v = tree.naturals[tree.nodes[parts[1]].payload]
        guard QueryParser.supportedVersions.contains(where: { $0.major == v[0] && $0.minor == v[1] }) else {
            let known = QueryParser.supportedVersions.map { "\($0.major).\($0.minor)" }.joined(separator: ", ")
            throw VNNLIBError.invalidQuery(reader.location(of: parts[1]),
                                           message: "VNN-LIB version \(v[0]).\(v[1]) is not one Certus reads (\(known); 1.0 files have no header)")
        }
        return (v[0], v[1])
    }

    /// `(declare-network NAME [equivalence] inputs+ hidden* outputs+)`.
    private mutating func declareNetwork(_ root: Int) throws {
        let parts = Array(tree.children(of: root))
        guard parts.count >= 2 else { throw expected("a network name", root) }
        let (name, nameLocation) = try declareName(parts[1])
        var network = NetworkDeclaration(name: name, location: nameLocation, equivalence: nil, inputs: [], hidden: [], outputs: [])
        let index = networks.count
        var stage = 0  // 0: equivalence allowed, 1: inputs, 2: hidden, 3: outputs
        for part in parts.dropFirst(2) {
            let children = Array(tree.children(of: part))
            guard let head = children.first, tree.nodes[head].kind == .symbol else {
                throw expected("'(declare-input', '(declare-hidden', '(declare-output', '(equal-to' or '(isomorphic-to'", part)
            }
            let keyword = reader.text(of: head)
            let order = ["equal-to": 0, "isomorphic-to": 0, "declare-input": 1, "declare-hidden": 2, "declare-output": 3]
            guard let rank = order[keyword] else {
                throw expected("'declare-input', 'declare-hidden', 'declare-output', 'equal-to' or 'isomorphic-to'", head)
            }
            guard rank >= stage, !(rank == 0 && network.equivalence != nil) else {
                let message = rank == 0 && network.equivalence != nil
                    ? "a network may have at most one equal-to or isomorphic-to"
                    : "'\(keyword)' is out of order: a network lists equal-to/isomorphic-to, then inputs, hidden nodes, outputs"
                throw VNNLIBError.invalidQuery(reader.location(of: head), message: message)
            }
            stage = max(stage, rank)
            if rank == 0 {
                network.equivalence = try equivalence(keyword, children)
                continue
            }
            let tensor = try declareTensor(keyword, children, network: index)
            switch tensor.role {
            case .input: network.inputs.append(tensor)
            case .hidden: network.hidden.append(tensor)
            case .output: network.outputs.append(tensor)
            }
        }
        let end = reader.location(of: root)
        guard !network.inputs.isEmpty else {
            throw VNNLIBError.invalidQuery(end, message: "network '\(name)' declares no input")
        }
        guard !network.outputs.isEmpty else {
            throw VNNLIBError.invalidQuery(end, message: "network '\(name)' declares no output")
        }
        if let equivalence = network.equivalence { try checkEquivalence(network, equivalence, at: end) }
        networks.append(network)
    }

    private func equivalence(_ keyword: String, _ children: [Int]) throws -> NetworkDeclaration.Equivalence {
        guard children.count == 2, tree.nodes[children[1]].kind == .symbol else {
            throw expected("a network name after '\(keyword)'", children.count > 1 ? children[1] : children[0])
        }
        let target = reader.text(of: children[1])
        guard let index = networks.firstIndex(where: { $0.name == target }) else {
            throw VNNLIBError.invalidQuery(reader.location(of: children[1]),
                                           message: "'\(target)' is not a network declared earlier")
        }
        guard networks[index].equivalence == nil else {
            throw VNNLIBError.invalidQuery(reader.location(of: children[1]),
                                           message: "'\(target)' is itself equal-to or isomorphic-to another network; refer to that one")
        }
        return keyword == "equal-to" ? .equalTo(index) : .isomorphicTo(index)
    }

    /// The standard's rules: `equal-to` needs identical input and output declarations (types
    /// and shapes), `isomorphic-to` identical shapes; names may differ.
    private func checkEquivalence(_ network: NetworkDeclaration, _ equivalence: NetworkDeclaration.Equivalence,
                                  at location: SourceLocation) throws {
        let (target, sameTypes) = switch equivalence {
        case let .equalTo(i): (networks[i], true)
        case let .isomorphicTo(i): (networks[i], false)
        }
        func signature(_ list: [TensorDeclaration]) -> [String] {
            list.map { (sameTypes ? $0.elementType + " " : "") + $0.shapeText }
        }
        guard signature(network.inputs) == signature(target.inputs), signature(network.outputs) == signature(target.outputs) else {
            let what = sameTypes ? "equal-to" : "isomorphic-to"
            let detail = sameTypes ? "element types and shapes" : "shapes"
            throw VNNLIBError.invalidQuery(location,
                                           message: "network '\(network.name)' is \(what) '\(target.name)' but its inputs and outputs differ in \(detail)")
        }
    }

    /// `(declare-input N TYPE [shape] initialized?)`, `(declare-hidden N TYPE [shape] "onnx")`,
    /// `(declare-output N TYPE [shape])`.
    private mutating func declareTensor(_ keyword: String, _ children: [Int], network: Int) throws -> TensorDeclaration {
        let role: TensorDeclaration.Role = keyword == "declare-input" ? .input : keyword == "declare-hidden" ? .hidden : .output
        guard children.count >= 4 else {
            throw VNNLIBError.wrongArgumentCount(reader.location(of: children[0]), operator: keyword,
                                                 expected: role == .hidden ? "a name, a type, a shape and an ONNX name" : "a name, a type and a shape",
                                                 found: children.count - 1)
        }
        let (name, location) = try declareName(children[1])
        guard tree.nodes[children[2]].kind == .symbol, Self.isName(reader.text(of: children[2])) else {
            throw expected("an element type (such as Real or float32)", children[2])
        }
        guard tree.nodes[children[3]].kind == .naturals else { throw expected("a shape such as [3] or []", children[3]) }
        let shape = tree.naturals[tree.nodes[children[3]].payload]
        var count = 1
        for d in shape {
            guard d > 0 else {
                throw VNNLIBError.invalidQuery(reader.location(of: children[3]), message: "a shape's dimensions must be positive")
            }
            count = count.multipliedReportingOverflow(by: d).overflow ? Int.max : count * d
        }
        guard count <= QueryParser.maximumElements - elementCount else {
            throw VNNLIBError.invalidQuery(reader.location(of: children[3]),
                                           message: "the query declares more than \(QueryParser.maximumElements) tensor elements")
        }
        var onnxName: String?, initialized = false
        let rest = children.dropFirst(4)
        switch role {
        case .hidden:
            guard rest.count == 1, let node = rest.first, tree.nodes[node].kind == .string else {
                throw expected("the ONNX node name in double quotes, then ')'", rest.first ?? children[3])
            }
            onnxName = tree.strings[tree.nodes[node].payload]
        case .input:
            for node in rest {
                guard tree.nodes[node].kind == .symbol, reader.text(of: node) == "initialized", !initialized else {
                    throw expected("'initialized' or ')'", node)
                }
                initialized = true
            }
        case .output:
            if let extra = rest.first { throw expected("')'", extra) }
        }
        let tensor = TensorDeclaration(role: role, name: name, elementType: reader.text(of: children[2]), shape: shape,
                                       onnxName: onnxName, initialized: initialized, location: location,
                                       firstElement: elementCount)
        elementCount += count
        tensors[name] = (network, tensor)
        return tensor
    }

    /// Checks that node `index` is a fresh name and records it.
    private mutating func declareName(_ index: Int) throws -> (String, SourceLocation) {
        let location = reader.location(of: index)
        guard tree.nodes[index].kind == .symbol, Self.isName(reader.text(of: index)) else {
            throw expected("a name (a letter, then letters, digits or '_')", index)
        }
        let name = reader.text(of: index)
        if let previous = names[name] {
            throw VNNLIBError.duplicateDeclaration(location, name: name, previous: previous)
        }
        names[name] = location
        return (name, location)
    }

    /// The grammar's VariableName: a letter, then letters, digits and underscores.
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    func expected(_ what: String, _ index: Int) -> VNNLIBError {
        reader.unexpected(index, expected: what)
    }
}
