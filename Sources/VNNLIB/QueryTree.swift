import ExactArithmetic

/// One top-level expression of a VNN-LIB 2.0 query, stored flat (children before parents) so
/// that neither building it nor walking it recurses, as `SExpression` does for 1.0.
struct QueryTree {
    enum Kind: Equatable { case symbol, numeral, string, version, naturals, list }

    struct Node {
        var kind: Kind
        var start: Int
        var end: Int
        var line: Int
        var column: Int
        /// Numeral: index into `numerals`; string: into `strings`; naturals and version: into
        /// `naturals`; list: index of its first child in `childIndices`.
        var payload: Int
        /// List: the number of children.
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

    func children(of index: Int) -> ArraySlice<Int> {
        let node = nodes[index]
        guard node.kind == .list else { return [] }
        return childIndices[node.payload..<node.payload + node.count]
    }
}
