/// Where a branch-and-bound node's bounding of one atom ended, for the node's children to start
/// from: the multipliers of its split constraints (β-CROWN's warm start) and, where the hull
/// program ran and proved nothing, the program's cuts and simplex basis.
///
/// Why one value: both are per open case and per atom, travel from a node to its children
/// together, and are dropped together when the open nodes outgrow their memory budget.
public struct AtomWarmStart: Sendable {
    /// β of the split constraints at the parent's best bound.
    public var splitMultipliers: SplitMultipliers
    /// Where the parent's hull program ended, or nil.
    public var hull: HullRelaxation.WarmStart?

    public init(splitMultipliers: SplitMultipliers = SplitMultipliers(), hull: HullRelaxation.WarmStart? = nil) {
        self.splitMultipliers = splitMultipliers
        self.hull = hull
    }

    /// Heap bytes held, for the tree's memory budget.
    public var byteCount: Int { 16 + splitMultipliers.byteCount + (hull?.byteCount ?? 0) }
}
