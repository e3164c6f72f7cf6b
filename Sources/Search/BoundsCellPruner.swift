import Bounds
import ExactArithmetic
import NetworkIR
import VNNLIB

/// A `CellPruner` backed by the Bounds module: a cell is safe when `BoundsAnalyzer` proves
/// every case sharing the region unreachable on it, with the chosen method (by default the
/// linear CROWN/DeepPoly back-substitution, Zhang et al. 2018 / Singh et al. 2019, without α
/// optimisation, which is the cheap setting for many small cells).
///
/// Hidden-layer cells are bounded on the network made of the layers above the searched one.
/// The proofs are those of the Bounds module (outward rounding), so a pruned cell holds no
/// counterexample.
public struct BoundsCellPruner: CellPruner {
    /// The network.
    public let network: Network
    /// The property.
    public let specification: Specification
    /// The bounding method.
    public let method: BoundsMethod
    /// The analyzer's options.
    public let options: BoundsOptions
    /// `suffixes[k]`: layers `k…` as a network of their own (nil when `k` is out of range or
    /// the suffix cannot stand alone).
    let suffixes: [Network?]

    /// Creates a pruner.
    /// - Parameters:
    ///   - method: `.interval`, `.linear` (default) or `.lagrangian`.
    ///   - options: analyzer options (default: no α iterations, constraint combination on).
    public init(network: Network, specification: Specification, method: BoundsMethod = .linear,
                options: BoundsOptions = BoundsOptions(slopeIterations: 0)) {
        self.network = network
        self.specification = specification
        self.method = method
        self.options = options
        suffixes = (0...network.layers.count).map { k in
            k == 0 ? network : try? Network(inputShape: [network.inputSize(ofLayer: k)], layers: Array(network.layers[k...]))
        }
    }

    public func provesSafe(startLayer: Int, lower: [Double], upper: [Double], caseIndices: [Int]) -> Bool {
        guard suffixes.indices.contains(startLayer), let suffix = suffixes[startLayer],
              lower.count == suffix.inputSize, upper.count == lower.count else { return false }
        var boxLower: [Rational?] = []
        var boxUpper: [Rational?] = []
        for i in lower.indices {
            guard let l = Rational(exactly: lower[i]), let u = Rational(exactly: upper[i]) else { return false }
            boxLower.append(l)
            boxUpper.append(u)
        }
        let box = InputBox(lower: boxLower, upper: boxUpper)
        let analyzer = BoundsAnalyzer(options: options)
        return caseIndices.allSatisfy { index in
            guard specification.cases.indices.contains(index) else { return false }
            let original = specification.cases[index]
            if startLayer > 0, !original.outputConstraints.allSatisfy(\.expression.mentionsOnlyOutputs) { return false }
            let cell = SpecificationCase(box: box, inputConstraints: startLayer == 0 ? original.inputConstraints : [],
                                         outputConstraints: original.outputConstraints)
            return (try? analyzer.analyze(cell, of: suffix, method: method).isProved) ?? false
        }
    }
}
