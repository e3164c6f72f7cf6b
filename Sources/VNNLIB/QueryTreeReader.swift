/// Reads the top-level expressions of a VNN-LIB 2.0 query one at a time into a `QueryTree`.
///
/// Iterative, with the same nesting limit as the 1.0 reader, so deep nesting is an error and
/// never a stack overflow.
struct QueryTreeReader {
    private var lexer: QueryLexer
    private let maximumDepth: Int
    private(set) var tree = QueryTree()
    private var pending: [Int] = []
    private var open: [(token: QueryLexer.Token, pendingStart: Int)] = []

    init(bytes: [UInt8], fileName: String, limits: PropertyParser.Limits) {
        lexer = QueryLexer(bytes: bytes, fileName: fileName, maximumDigits: limits.maximumNumeralDigits,
                           maximumExponent: limits.maximumNumeralExponent)
        maximumDepth = limits.maximumDepth
    }

    var fileName: String { lexer.fileName }

    /// Reads the next top-level expression; nil at the end of the file.
    /// - Throws: `VNNLIBError` for lexical errors, unbalanced parentheses, a top-level atom or
    ///   nesting deeper than the limit.
    mutating func readNext() throws -> Int? {
        tree.removeAll()
        pending.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        let (first, _) = try lexer.next()
        switch first.kind {
        case .endOfFile: return nil
        case .leftParenthesis: break
        default:
            throw VNNLIBError.unexpected(location(first), expected: "'('", found: quote(first.start, first.end))
        }
        open.append((first, 0))
        while true {
            let (token, value) = try lexer.next()
            switch token.kind {
            case .leftParenthesis:
                guard open.count < maximumDepth else {
                    throw VNNLIBError.nestingTooDeep(location(token), limit: maximumDepth)
                }
                open.append((token, pending.count))
            case .rightParenthesis:
                guard let (start, pendingStart) = open.popLast() else { continue }
                let firstChild = tree.childIndices.count
                tree.childIndices.append(contentsOf: pending[pendingStart...])
                pending.removeSubrange(pendingStart...)
                tree.nodes.append(QueryTree.Node(kind: .list, start: start.start, end: token.end, line: start.line,
                                                 column: start.column, payload: firstChild,
                                                 count: tree.childIndices.count - firstChild))
                if open.isEmpty { return tree.nodes.count - 1 }
                pending.append(tree.nodes.count - 1)
            case .endOfFile:
                throw VNNLIBError.unexpected(location(token), expected: "')'", found: "end of file")
            case .symbol, .numeral, .string, .version, .naturals:
                var kind = QueryTree.Kind.symbol, payload = 0
                switch value {
                case .none: break
                case let .numeral(r):
                    (kind, payload) = (.numeral, tree.numerals.count)
                    tree.numerals.append(r)
                case let .string(s):
                    (kind, payload) = (.string, tree.strings.count)
                    tree.strings.append(s)
                case let .naturals(n):
                    (kind, payload) = (.naturals, tree.naturals.count)
                    tree.naturals.append(n)
                case let .version(major, minor):
                    (kind, payload) = (.version, tree.naturals.count)
                    tree.naturals.append([major, minor])
                }
                tree.nodes.append(QueryTree.Node(kind: kind, start: token.start, end: token.end, line: token.line,
                                                 column: token.column, payload: payload, count: 0))
                pending.append(tree.nodes.count - 1)
            }
        }
    }

    private func location(_ token: QueryLexer.Token) -> SourceLocation {
        lexer.location(line: token.line, column: token.column)
    }

    func location(of index: Int) -> SourceLocation {
        let node = tree.nodes[index]
        return lexer.location(line: node.line, column: node.column)
    }

    /// The text of an atom (`(` for a list).
    func text(of index: Int) -> String {
        let node = tree.nodes[index]
        if node.kind == .list { return "(" }
        return String(decoding: lexer.bytes[node.start..<node.end], as: UTF8.self)
    }

    /// Node `index` quoted for a message, cut to 40 characters.
    func describe(node index: Int) -> String {
        let node = tree.nodes[index]
        return quote(node.start, node.end)
    }

    private func quote(_ start: Int, _ end: Int) -> String {
        var text = String(decoding: lexer.bytes[start..<min(end, start + 41)], as: UTF8.self)
        text = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        if end - start > 40 { text = String(text.prefix(40)) + "…" }
        return "'\(text)'"
    }
}
