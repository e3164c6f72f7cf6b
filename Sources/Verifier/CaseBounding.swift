import Bounds
import Encoding
import NetworkIR
import VNNLIB

/// Tries to prove one case with sound bounds alone, cheapest method first: interval
/// propagation, linear relaxation (CROWN/DeepPoly with α-optimised slopes), then the
/// Lagrangian dual of Dvijotham et al. 2018 warm-started from the linear relaxation.
struct CaseBounding: Sendable {
    struct Analysis: Sendable {
        /// The method that proved the case, with the reason, or nil.
        var provedBy: String?
        /// The tightest bounds computed (for the exact encoder), or nil when none could be.
        var neuronBounds: NeuronBounds?
        /// Unstable ReLUs per ReLU layer under those bounds.
        var unstableReLUs: [Int]
    }

    var network: Network
    var specCase: SpecificationCase

    /// Runs `methods` in order until one proves the case. `quick` turns slope optimisation off
    /// (plain CROWN/DeepPoly, about 20 times cheaper on MNIST fc).
    func analyse(methods: [BoundsMethod] = [.interval, .linear, .lagrangian], quick: Bool = false,
                 deadline: ContinuousClock.Instant? = nil) -> Analysis {
        var options = BoundsOptions()
        options.deadline = deadline
        if quick { options.slopeIterations = 0 }
        let analyzer = BoundsAnalyzer(options: options)
        guard let results = try? analyzer.analyze(specCase, of: network, methods: methods,
                                                   stopAtFirstProof: true),
              let last = results.last else {
            return Analysis(provedBy: nil, neuronBounds: nil, unstableReLUs: [])
        }
        if let proof = last.proof {
            return Analysis(provedBy: "\(last.method.rawValue) (\(proof))", neuronBounds: nil, unstableReLUs: last.unstableCounts)
        }
        // The tightest network bounds are the last method's; all are sound, so any may feed Z3.
        let tightest = results.max { $0.method < $1.method } ?? last
        guard tightest.networkBounds.layers.count == network.layers.count else {
            return Analysis(provedBy: nil, neuronBounds: nil, unstableReLUs: tightest.unstableCounts)
        }
        return Analysis(provedBy: nil, neuronBounds: BranchAndBound.neuronBounds(tightest.networkBounds),
                        unstableReLUs: tightest.unstableCounts)
    }
}
