/// Runs the commands of one VNN-LIB file in order: records declarations, turns each assertion
/// into a `PropertyFormula`, then checks the declarations and expands the conjunction of all
/// assertions into a `Specification`.
struct PropertyInterpreter {
    var reader: SExpressionReader
    let limits: PropertyParser.Limits
    /// Where each declared input / output index was declared.
    var inputDeclarations: [Int: SourceLocation] = [:]
    var outputDeclarations: [Int: SourceLocation] = [:]
    var formula = PropertyFormula()
    var assertions: [PropertyFormula.Reference] = []

    init(bytes: [UInt8], fileName: String, limits: PropertyParser.Limits) {
        reader = SExpressionReader(bytes: bytes, fileName: fileName, limits: limits)
        self.limits = limits
    }

    /// Reads the whole file.
    /// - Throws: the first `VNNLIBError` in the file.
    /// - Complexity: linear in the file, plus the size of the expanded cases.
    mutating func run() throws -> Specification {
        while let root = try reader.readNext() {
            let parts = reader.expression.children(of: root)
            guard let head = parts.first, reader.expression.nodes[head].kind == .symbol else {
                throw VNNLIBError.unexpected(reader.location(of: parts.first ?? root), expected: "a command name",
                                             found: parts.first.map { reader.describe(node: $0) } ?? "'()'")
            }
            let name = reader.text(of: head)
            switch name {
            case "declare-const":
                try declare(root)
            case "assert":
                guard parts.count == 2 else {
                    throw VNNLIBError.wrongArgumentCount(reader.location(of: root), operator: name,
                                                         expected: "1 argument", found: parts.count - 1)
                }
                assertions.append(try evaluateFormula(parts[parts.startIndex + 1]))
            case "set-logic", "set-info", "check-sat", "get-model":
                continue  // SMT-LIB housekeeping that does not change the property.
            default:
                throw VNNLIBError.unknownCommand(reader.location(of: head), name: name)
            }
        }
        let inputCount = try checkedCount(inputDeclarations, prefix: "X")
        let outputCount = try checkedCount(outputDeclarations, prefix: "Y")
        let root = formula.and(assertions, at: SourceLocation(fileName: reader.fileName, line: 1, column: 1))
        var expansion = CaseExpansion(formula: formula, maximumBytes: limits.maximumCaseBytes)
        let cases = try expansion.cases(of: root, inputCount: inputCount)
        let reason = expansion.emptinessReason(of: cases)
        return Specification(inputCount: inputCount, outputCount: outputCount, cases: cases, emptinessReason: reason)
    }

    /// `(declare-const X_i Real)` or `(declare-const Y_j Real)`.
    private mutating func declare(_ root: Int) throws {
        let parts = reader.expression.children(of: root)
        guard parts.count == 3 else {
            throw VNNLIBError.wrongArgumentCount(reader.location(of: root), operator: "declare-const",
                                                 expected: "2 arguments", found: parts.count - 1)
        }
        let nameNode = parts[parts.startIndex + 1], sortNode = parts[parts.startIndex + 2]
        let location = reader.location(of: nameNode)
        let node = reader.expression.nodes[nameNode]
        guard node.kind == .symbol else {
            throw VNNLIBError.unexpected(location, expected: "a variable name X_i or Y_j", found: reader.describe(node: nameNode))
        }
        guard let variable = Variable(name: reader.bytes[node.start..<node.end]) else {
            throw VNNLIBError.invalidVariableName(location, name: reader.text(of: nameNode))
        }
        guard reader.expression.nodes[sortNode].kind == .symbol, reader.text(of: sortNode) == "Real" else {
            throw VNNLIBError.unexpected(reader.location(of: sortNode), expected: "the sort 'Real'",
                                         found: reader.describe(node: sortNode))
        }
        switch variable {
        case let .input(i):
            if let previous = inputDeclarations[i] {
                throw VNNLIBError.duplicateDeclaration(location, name: variable.description, previous: previous)
            }
            inputDeclarations[i] = location
        case let .output(j):
            if let previous = outputDeclarations[j] {
                throw VNNLIBError.duplicateDeclaration(location, name: variable.description, previous: previous)
            }
            outputDeclarations[j] = location
        }
    }

    /// The number of declared variables, after checking the indices are exactly `0..<count`.
    /// - Throws: `missingDeclaration` naming the smallest missing index, located at the
    ///   declaration of the largest index.
    private func checkedCount(_ declarations: [Int: SourceLocation], prefix: String) throws -> Int {
        let count = declarations.count
        guard let (largest, location) = declarations.max(by: { $0.key < $1.key }), largest >= count else { return count }
        let missing = (0..<count).first { declarations[$0] == nil } ?? count
        throw VNNLIBError.missingDeclaration(location, missing: "\(prefix)_\(missing)", declared: "\(prefix)_\(largest)")
    }
}
