import ExactArithmetic
import NetworkIR
import VNNLIB

/// A `CellPruner` from interval bound propagation: a cell is safe when, for every case, some
/// output constraint cannot hold anywhere on the interval image of the cell.
///
/// The stand-in until a tighter bound module is injected; cheap (two passes over the
/// weights per cell) and sound (outward rounding, `Network.intervalImage`).
public struct IntervalCellPruner: CellPruner {
    /// The network.
    public let network: Network
    /// The property.
    public let specification: Specification

    /// Creates a pruner for `network` and `specification` (sizes checked by the search).
    public init(network: Network, specification: Specification) {
        self.network = network
        self.specification = specification
    }

    public func provesSafe(startLayer: Int, lower: [Double], upper: [Double], caseIndices: [Int]) -> Bool {
        guard startLayer >= 0, startLayer <= network.layers.count,
              lower.count == network.inputSize(ofLayer: startLayer), upper.count == lower.count else { return false }
        let image = network.intervalImage(layers: startLayer..<network.layers.count, lower: lower, upper: upper)
        guard image.lower.allSatisfy({ !$0.isNaN }), image.upper.allSatisfy({ !$0.isNaN }) else { return false }
        return caseIndices.allSatisfy { index in
            guard specification.cases.indices.contains(index) else { return false }
            return specification.cases[index].outputConstraints.contains { constraint in
                cannotHold(constraint, inputs: startLayer == 0 ? (lower, upper) : nil, outputs: image)
            }
        }
    }

    /// Whether `constraint` fails everywhere on the boxes (inputs nil: input terms unknown).
    func cannotHold(_ constraint: LinearConstraint, inputs: (lower: [Double], upper: [Double])?,
                    outputs: (lower: [Double], upper: [Double])) -> Bool {
        var low = constraint.expression.constant.toDouble(rounding: .down)
        var high = constraint.expression.constant.toDouble(rounding: .up)
        for (variable, coefficient) in constraint.expression.terms {
            let range: (Double, Double)
            switch variable {
            case let .input(i):
                guard let inputs else { return false }
                range = (inputs.lower[i], inputs.upper[i])
            case let .output(j):
                range = (outputs.lower[j], outputs.upper[j])
            }
            let cLow = coefficient.toDouble(rounding: .down)
            let cHigh = coefficient.toDouble(rounding: .up)
            let products = [cLow * range.0, cLow * range.1, cHigh * range.0, cHigh * range.1]
            guard let pMin = products.min(), let pMax = products.max(), !pMin.isNaN, !pMax.isNaN else { return false }
            low = (low + pMin.nextDown).nextDown
            high = (high + pMax.nextUp).nextUp
        }
        switch constraint.relation {
        case .lessOrEqual: return low > 0
        case .less: return low >= 0
        case .equal: return low > 0 || high < 0
        }
    }
}
