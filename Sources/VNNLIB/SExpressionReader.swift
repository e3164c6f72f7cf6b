import ExactArithmetic

/// Reads the top-level s-expressions of a VNN-LIB file one at a time.
///
/// Iterative (an explicit stack of open lists, no recursion), with a nesting limit, so a file of
/// a hundred thousand `(` is an error and not a stack overflow.
struct SExpressionReader {
    private var lexer: Lexer
    private let maximumDepth: Int
    /// The expression most recently read.
    private(set) var expression = SExpression()
    /// Indices of complete nodes not yet attached to a parent.
    private var pending: [Int] = []
    /// For each open list: the node index reserved for it and where its children start in `pending`.
    private var open: [(token: Token, pendingStart: Int)] = []

    init(bytes: [UInt8], fileName: String, syntax: Lexer.Syntax = .version1, limits: PropertyParser.Limits) {
        lexer = Lexer(bytes: bytes, fileName: fileName, syntax: syntax, maximumDigits: limits.maximumNumeralDigits,
                      maximumExponent: limits.maximumNumeralExponent)
        self.maximumDepth = limits.maximumDepth
    }

    var fileName: String { lexer.fileName }
    var syntax: Lexer.Syntax { lexer.syntax }
    var bytes: [UInt8] { lexer.bytes }

    /// Reads the next top-level expression into `expression`, replacing the previous one.
    /// - Returns: the index of its root node, or nil at the end of the file.
    /// - Throws: `VNNLIBError` for lexical errors, unbalanced parentheses, a top-level atom, or
    ///   nesting deeper than the limit.
    /// - Complexity: O(length of the expression's text).
    mutating func readNext() throws -> Int? {
        expression.removeAll()
        pending.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        let (first, _) = try lexer.next()
        switch first.kind {
        case .endOfFile:
            // The capacity kept between commands can be a whole file's worth of nodes (one
            // `assert` of 120,000 disjuncts); give it back before the cases are expanded.
            expression = SExpression()
            return nil
        case .leftParenthesis:
            break
        case .rightParenthesis, .symbol, .numeral, .string, .version, .naturals:
            throw VNNLIBError.unexpected(lexer.location(of: first), expected: "'('", found: describe(first))
        }
        open.append((first, 0))
        while true {
            let (token, value) = try lexer.next()
            switch token.kind {
            case .leftParenthesis:
                guard open.count < maximumDepth else {
                    throw VNNLIBError.nestingTooDeep(lexer.location(of: token), limit: maximumDepth)
                }
                open.append((token, pending.count))
            case .rightParenthesis:
                guard let (start, pendingStart) = open.popLast() else { continue }
                let firstChild = expression.childIndices.count
                expression.childIndices.append(contentsOf: pending[pendingStart...])
                pending.removeSubrange(pendingStart...)
                expression.nodes.append(SExpression.Node(
                    kind: .list, start: start.start, end: token.end, line: start.line, column: start.column,
                    payload: firstChild, count: expression.childIndices.count - firstChild))
                if open.isEmpty { return expression.nodes.count - 1 }
                pending.append(expression.nodes.count - 1)
            case .symbol, .numeral, .string, .version, .naturals:
                var kind = SExpression.Node.Kind.symbol, payload = 0
                switch value {
                case .none:
                    break
                case let .numeral(number):
                    (kind, payload) = (.numeral, expression.numerals.count)
                    expression.numerals.append(number)
                case let .string(text):
                    (kind, payload) = (.string, expression.strings.count)
                    expression.strings.append(text)
                case let .naturals(values):
                    (kind, payload) = (.naturals, expression.naturals.count)
                    expression.naturals.append(values)
                case let .version(major, minor):
                    (kind, payload) = (.version, expression.naturals.count)
                    expression.naturals.append([major, minor])
                }
                expression.nodes.append(SExpression.Node(
                    kind: kind, start: token.start, end: token.end, line: token.line, column: token.column,
                    payload: payload, count: 0))
                pending.append(expression.nodes.count - 1)
            case .endOfFile:
                throw VNNLIBError.unexpected(lexer.location(of: token), expected: "')'", found: "end of file")
            }
        }
    }

    /// The location of node `index` of the current expression.
    func location(of index: Int) -> SourceLocation {
        let node = expression.nodes[index]
        return SourceLocation(fileName: lexer.fileName, line: node.line, column: node.column)
    }

    /// The text of an atom (or `(` for a list).
    func text(of index: Int) -> String {
        let node = expression.nodes[index]
        if node.kind == .list { return "(" }
        return String(decoding: lexer.bytes[node.start..<node.end], as: UTF8.self)
    }

    /// The text of node `index` quoted for an error message, shortened when long.
    func describe(node index: Int) -> String {
        let node = expression.nodes[index]
        return Self.quote(lexer.bytes[node.start..<node.end])
    }

    /// The error for node `index` where `what` was expected.
    func unexpected(_ index: Int, expected what: String) -> VNNLIBError {
        .unexpected(location(of: index), expected: what, found: describe(node: index))
    }

    private func describe(_ token: Token) -> String {
        token.kind == .endOfFile ? "end of file" : Self.quote(lexer.bytes[token.start..<token.end])
    }

    /// `'text'`, cut to 40 characters with `…`, newlines shown as spaces.
    private static func quote(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes.prefix(41), as: UTF8.self)
        text = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        if bytes.count > 40 { text = String(text.prefix(40)) + "…" }
        return "'\(text)'"
    }
}
