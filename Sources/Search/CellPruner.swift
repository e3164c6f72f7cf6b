/// Decides whether a box of vectors entering a layer provably contains no counterexample, so
/// that a manipulation search may skip every grid point in it.
///
/// Injected into `ManipulationSearch` so that any bound method (interval, CROWN-style, a dual
/// bound) can serve. An implementation must only answer `true` when the claim is proved: a
/// wrong `true` would hide counterexamples (the search never claims `unsat` either way).
public protocol CellPruner: Sendable {
    /// Whether no vector in `[lower, upper]` entering layer `startLayer` (0: the network
    /// input) is mapped into the unsafe set of any of the cases `caseIndices`.
    /// - Parameters:
    ///   - startLayer: the first layer to apply (the box lives at its input).
    ///   - lower: the lower corner, one entry per value entering `startLayer`.
    ///   - upper: the upper corner.
    ///   - caseIndices: the specification cases that share this region.
    func provesSafe(startLayer: Int, lower: [Double], upper: [Double], caseIndices: [Int]) -> Bool
}
