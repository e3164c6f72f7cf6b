import ExactArithmetic

/// The s-expressions of one top-level command, stored flat so that neither building nor
/// destroying a deeply nested expression recurses.
///
/// A node is a symbol, a numeral or a list (and in VNN-LIB 2.0 also a string, a version or a
/// bracket list of naturals); a list's children are a contiguous run of `childIndices`. Nodes are appended when they are complete, so every child has a smaller
/// index than its parent.
struct SExpression {
    /// One node: its kind, its first token's position, and its payload. Positions and indices
    /// are stored in 32 bits (the reader refuses text of 4 GiB or more), which halves the
    /// node: a 10 MB property of 120,000 disjuncts is 1.6 million nodes, read whole.
    struct Node {
        enum Kind: Equatable { case symbol, numeral, list, string, version, naturals }
        var kind: Kind
        private var storedStart, storedEnd, storedLine, storedColumn, storedPayload, storedCount: UInt32

        /// - Precondition: every value is below 2³² (guaranteed by the reader's size check).
        init(kind: Kind, start: Int, end: Int, line: Int, column: Int, payload: Int, count: Int) {
            self.kind = kind
            (storedStart, storedEnd) = (UInt32(start), UInt32(end))
            (storedLine, storedColumn) = (UInt32(line), UInt32(column))
            (storedPayload, storedCount) = (UInt32(payload), UInt32(count))
        }

        /// Byte range of the token (symbols, numerals) or of the opening parenthesis (lists).
        var start: Int { Int(storedStart) }
        var end: Int { Int(storedEnd) }
        var line: Int { Int(storedLine) }
        var column: Int { Int(storedColumn) }
        /// For a numeral, its index in `numerals`; for a string, in `strings`; for naturals and
        /// a version (major, minor), in `naturals`; for a list, the index of its first child in
        /// `childIndices`.
        var payload: Int { Int(storedPayload) }
        /// For a list, the number of children.
        var count: Int { Int(storedCount) }
    }

    var nodes: [Node] = []
    var childIndices: [Int] = []  // (plain Int: sliced and handed out as indices)
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
