/// The assertions of a 2.0 query before translation: a negation-free tree of `and`, `or` and
/// comparisons `term ⋈ 0`, stored flat (children before parents) so no pass recurses.
///
/// Terms are over the query's element numbers (`Variable.input(k)` is element `k`), because
/// which product input or output an element becomes is known only once the whole query has
/// been read (inputs asserted equal share one product input).
struct QueryFormula {
    enum Reference: Equatable {
        case constant(Bool)
        case node(Int)
    }

    /// `term ⋈ 0`.
    enum Relation { case lessOrEqual, less, equal, notEqual }

    enum Node {
        case compare(LinearTerm, Relation)
        case and([Reference])
        case or([Reference])
    }

    private(set) var nodes: [Node] = []
    private(set) var locations: [SourceLocation] = []

    mutating func add(_ node: Node, at location: SourceLocation) -> Reference {
        nodes.append(node)
        locations.append(location)
        return .node(nodes.count - 1)
    }
}
