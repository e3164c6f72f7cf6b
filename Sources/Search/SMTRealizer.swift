import Bounds
import Encoding
import ExactArithmetic
import NetworkIR
import SMT
import VNNLIB

/// The exact `HiddenPointRealizer`: asks an SMT solver for an input in the case's region whose
/// layer-`k` vector lies within the tolerance of the target (DLV's back-mapping with Z3, Huang
/// et al. 2017, "Safety Verification of Deep Neural Networks").
///
/// Layers `0…k` are written by the layered `NetworkEncoder` with exact rationals, the region
/// by `PropertyEncoder` (box and input constraints, no output constraints), and the target as
/// `target_p − τ ≤ v_p ≤ target_p + τ` with the doubles taken exactly. `unsat` is therefore a
/// proof that the hidden point is spurious. Interval bounds over the region (outward rounded,
/// `Network.intervalImage`) let the encoder fix stable ReLUs; they are only used when the
/// region is bounded. A model is returned as the nearest doubles; the search validates it.
public struct SMTRealizer: HiddenPointRealizer {
    /// The network.
    public let network: Network
    /// Makes one fresh solver per query (the command line injects Z3).
    public let makeSolver: SolverFactory
    /// The solver's time limit per query (shortened to the deadline).
    public var timeout: Duration?

    /// Creates a realizer.
    public init(network: Network, timeout: Duration? = .seconds(10), makeSolver: @escaping SolverFactory) {
        self.network = network
        self.timeout = timeout
        self.makeSolver = makeSolver
    }

    public func realize(layer: Int, target: [Double], tolerance: Double, region: SpecificationCase,
                        deadline: ContinuousClock.Instant?) -> Realization {
        guard layer >= 0, layer < network.layers.count, target.count == network.layerSizes[layer],
              region.box.count == network.inputSize else {
            return .unknown("the target does not fit layer \(layer)")
        }
        guard let tau = Rational(exactly: tolerance) else { return .unknown("tolerance is not finite") }
        var limit = timeout
        if let deadline {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return .unknown("deadline") }
            limit = limit.map { min($0, left) } ?? left
        }
        let solver = makeSolver()
        let encoder = NetworkEncoder(network: network, bounds: bounds(over: region))
        let encoded = encoder.encode(into: solver, layerCount: layer + 1)
        var regionOnly = region
        regionOnly.outputConstraints = []
        for formula in PropertyEncoder.formulas(for: regionOnly, network: encoded) { solver.add(formula) }
        for (p, value) in target.enumerated() {
            guard let t = Rational(exactly: value) else { return .unknown("target entry \(p) is not finite") }
            let form = encoded.layerValues[layer][p].term
            solver.add(.compare(form, .greaterOrEqual, .constant(t - tau)))
            solver.add(.compare(form, .lessOrEqual, .constant(t + tau)))
        }
        switch solver.check(timeout: limit) {
        case .sat where !encoded.isExact:
            return .unknown("layers \(encoded.relaxedLayers) (sigmoid or tanh) are over-approximated, so a model need not realise the target")
        case let .sat(model):
            return .realized(encoded.inputs.map { $0.id < model.count ? model[$0.id].toDouble() : 0 })
        case .unsat:
            return .spurious
        case let .unknown(reason):
            return .unknown(reason)
        }
    }

    /// Sound bounds on every layer over the case's box, or nil when the box is unbounded.
    func bounds(over region: SpecificationCase) -> NetworkBounds? {
        guard region.box.isBounded, !region.box.isEmpty else { return nil }
        let lower = region.box.lowerDoubles
        let upper = region.box.upperDoubles
        var layers: [IntervalVector] = []
        var current = (lower: lower, upper: upper)
        for index in network.layers.indices {
            current = network.intervalImage(layers: index..<(index + 1), lower: current.lower, upper: current.upper)
            guard current.lower.allSatisfy(\.isFinite), current.upper.allSatisfy(\.isFinite) else { return nil }
            layers.append(IntervalVector(lower: current.lower, upper: current.upper))
        }
        return NetworkBounds(input: IntervalVector(lower: lower, upper: upper), layers: layers,
                             reluLayers: IntervalPropagation.reluLayers(of: network))
    }
}
