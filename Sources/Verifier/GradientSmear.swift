import Bounds
import NetworkIR

/// ReluVal's smear score for choosing the input dimension to split (Wang et al. 2018, "Formal
/// Security Analysis of Neural Networks using Symbolic Intervals", §4.3): the largest possible
/// magnitude of the objective's partial derivative along `xᵢ` over the box, times the box's width
/// along `xᵢ`, i.e. how much `xᵢ` can move the objective.
///
/// The derivative's range comes from interval back-propagation of the objective's gradient: an
/// affine layer maps the gradient interval `g` to `Wᵀg`, a division by `d` to `g/d`, and a ReLU
/// multiplies by its derivative (`0` when inactive, `1` when active, anything in `[0, 1]` when
/// unstable). Why not the linear minorant's coefficients alone: the relaxation of an unstable
/// ReLU can drop an input's influence from the minorant altogether, and then that input is never
/// split while the others are cut to nothing (seen on ACAS Xu). A heuristic only: soundness does
/// not depend on it.
struct GradientSmear: Sendable {
    let network: Network

    /// Smear scores per input for the objective `outputs·y + inputs·x` over `bounds`' region.
    func scores(outputCoefficients: [Double], inputCoefficients: [Double], bounds: NetworkBounds) -> [Double] {
        var low = outputCoefficients, high = outputCoefficients
        for k in network.layers.indices.reversed() {
            switch network.layers[k] {
            case let .affine(affine):
                let m = affine.outputSize, n = affine.inputSize
                var nextLow = [Double](repeating: 0, count: n), nextHigh = nextLow
                for i in 0..<m where low[i] != 0 || high[i] != 0 {
                    let gl = low[i], gh = high[i]
                    affine.matrix.forEachEntry(inRow: i) { j, weight in
                        if weight >= 0 {
                            nextLow[j] += weight * gl; nextHigh[j] += weight * gh
                        } else {
                            nextLow[j] += weight * gh; nextHigh[j] += weight * gl
                        }
                    }
                }
                low = nextLow; high = nextHigh
            case let .divide(divisors):
                for j in divisors.indices {
                    let a = low[j] / divisors[j], b = high[j] / divisors[j]
                    low[j] = min(a, b); high[j] = max(a, b)
                }
            case .relu:
                let pre = bounds.inputBounds(ofLayer: k)
                for j in low.indices {
                    if pre.upper[j] <= 0 { low[j] = 0; high[j] = 0 }
                    else if pre.lower[j] < 0 { low[j] = min(0, low[j]); high[j] = max(0, high[j]) }
                }
            case let .smooth(smooth):
                // The derivative lies in [0, L] (1 on a carried entry).
                for j in low.indices where !smooth.carries(j) {
                    let slope = smooth.function.maximumSlope
                    low[j] = min(0, slope * low[j]); high[j] = max(0, slope * high[j])
                }
            }
        }
        return low.indices.map { i in
            let width = bounds.input.upper[i] - bounds.input.lower[i]
            let direct = i < inputCoefficients.count ? inputCoefficients[i] : 0
            return max(abs(low[i] + direct), abs(high[i] + direct)) * width
        }
    }
}
