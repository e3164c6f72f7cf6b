/// The asserted formula of a property: a negation-free tree of `and`, `or` and atoms, stored
/// flat (children before parents) so no pass over it recurses.
///
/// Constant truth values are folded away as the tree is built: `and` drops `true` children and
/// becomes `false` with a `false` child; `or` the dual; one-child `and`/`or` become the child.
struct PropertyFormula {
    /// A formula: a constant or a node of the store.
    enum Reference: Equatable {
        case constant(Bool)
        case node(Int)
    }

    enum Node {
        case atom(Atom)
        case and([Reference])
        case or([Reference])
    }

    private(set) var nodes: [Node] = []
    /// Where each node's operator (or relation) is in the file.
    private(set) var locations: [SourceLocation] = []

    /// Where the first relation between constants that is false (`(<= 1 0)`) is.
    private(set) var firstFalseAtom: SourceLocation?

    mutating func atom(_ result: Atom.Result, at location: SourceLocation) -> Reference {
        switch result {
        case let .constant(value):
            if !value, firstFalseAtom == nil { firstFalseAtom = location }
            return .constant(value)
        case let .atom(atom): return add(.atom(atom), at: location)
        }
    }

    mutating func and(_ children: [Reference], at location: SourceLocation) -> Reference {
        junction(children, absorbing: false, at: location) { .and($0) }
    }

    mutating func or(_ children: [Reference], at location: SourceLocation) -> Reference {
        junction(children, absorbing: true, at: location) { .or($0) }
    }

    /// `and` (absorbing `false`) or `or` (absorbing `true`) with constants folded.
    private mutating func junction(_ children: [Reference], absorbing: Bool, at location: SourceLocation,
                                   make: ([Reference]) -> Node) -> Reference {
        if children.contains(.constant(absorbing)) { return .constant(absorbing) }
        let kept = children.filter { $0 != .constant(!absorbing) }
        switch kept.count {
        case 0: return .constant(!absorbing)
        case 1: return kept[0]
        default: return add(make(kept), at: location)
        }
    }

    private mutating func add(_ node: Node, at location: SourceLocation) -> Reference {
        nodes.append(node)
        locations.append(location)
        return .node(nodes.count - 1)
    }
}
