/// The bounding methods of this module, from cheapest to tightest.
public enum BoundsMethod: String, Sendable, Codable, CaseIterable, Comparable {
    /// `IntervalPropagation`.
    case interval
    /// `LinearRelaxation` (CROWN/DeepPoly back-substitution, optional α optimisation).
    case linear
    /// `LagrangianDual` (Dvijotham et al. 2018) warm-started from the linear relaxation.
    case lagrangian

    public static func < (a: BoundsMethod, b: BoundsMethod) -> Bool {
        allCases.firstIndex(of: a).map { i in allCases.firstIndex(of: b).map { i < $0 } ?? false } ?? false
    }
}
