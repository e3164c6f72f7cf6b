/// A real-valued solver variable, identified by the order in which it was declared.
public struct RealVariable: Sendable, Hashable, Comparable {
    /// Position in the declaration order of its solver (0, 1, 2, …).
    public let id: Int
    public init(id: Int) { self.id = id }
    public static func < (a: RealVariable, b: RealVariable) -> Bool { a.id < b.id }
}
