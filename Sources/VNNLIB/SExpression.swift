import ExactArithmetic

/// The s-expressions of one top-level command, stored flat so that neither building nor
/// destroying a deeply nested expression recurses.
///
/// A node is a symbol, a numeral or a list (and in VNN-LIB 2.0 also a string, a version or a
/// bracket list of naturals); a list's children are a contiguous run of `childIndices`. Nodes are appended when they are complete, so every child has a smaller
/// index than its parent.
struct SExpression {
    /// One node: its kind, its first token's position, and its payload.
    struct Node {
        enum Kind: Equatable { case symbol, numeral, list, string, version, naturals }
        var kind: Kind
        /// Byte range of the token (symbols, numerals) or of the opening parenthesis (lists).
        var start: Int
        var end: Int
        var line: Int
        var column: Int
        /// For a numeral, its index in `numerals`; for a string, in `strings`; for naturals and
        /// a version (major, minor), in `naturals`; for a list, the index of its first child in
        /// `childIndices`.
        var payload: Int
        /// For a list, the number of children.
        var count: Int
    }

    var nodes: [Node] = []
    var childIndices: [Int] = []
    var numerals: [Rational] = []
    var strings: [String] = []
    var naturals: [[Int]] = []

    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        childIndices.removeAll(keepingCapacity: true)
        numerals.removeAll(keepingCapacity: true)
        strings.removeAll(keepingCapacity: true)
        naturals.removeAll(keepingCapacity: true)
    }

    /// The children of list node `index` (empty for atoms).
    func children(of index: Int) -> ArraySlice<Int> {
        let node = nodes[index]
        guard node.kind == .list else { return [] }
        return childIndices[node.payload..<node.payload + node.count]
    }
}
