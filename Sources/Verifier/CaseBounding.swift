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
        var neuronBounds: NetworkBounds?
        /// Unstable ReLUs per ReLU layer under those bounds.
        var unstableReLUs: [Int]
        /// What proved the case, when it is proved (for proof certificates).
        var proof: BoundsProof?
    }

    var network: Network
    var specCase: SpecificationCase

    /// Runs `methods` in order until one proves the case. `quick` turns slope optimisation off
    /// (plain CROWN/DeepPoly, about 20 times cheaper on MNIST fc).
    func analyse(methods: [BoundsMethod] = [.interval, .linear, .lagrangian], quick: Bool = false,
                 deadline: ContinuousClock.Instant? = nil) -> Analysis {
        let analyzer = Self.analyzer(quick: quick, deadline: deadline)
        guard let results = try? analyzer.analyze(specCase, of: network, methods: methods, stopAtFirstProof: true) else {
            return Analysis(provedBy: nil, neuronBounds: nil, unstableReLUs: [])
        }
        return Self.analysis(of: results, network: network)
    }

    /// `analyse` for several cases of `network` that share one input box: the network's bounds
    /// over the box are computed once and the cases' constraints bounded in one batch
    /// (`BoundsAnalyzer`), instead of once per case (a robustness property has one case per
    /// other class: nine times the same network bounds on MNIST).
    /// - Precondition: the cases have equal boxes.
    static func analyse(cases: [SpecificationCase], of network: Network, methods: [BoundsMethod], quick: Bool,
                        deadline: ContinuousClock.Instant?) -> [Analysis] {
        let specification = Specification(inputCount: network.inputSize, outputCount: network.outputSize, cases: cases)
        guard let results = try? analyzer(quick: quick, deadline: deadline)
            .analyze(specification, of: network, methods: methods, stopAtFirstProof: true) else {
            return cases.map { _ in Analysis(provedBy: nil, neuronBounds: nil, unstableReLUs: []) }
        }
        return results.map { analysis(of: $0, network: network) }
    }

    private static func analyzer(quick: Bool, deadline: ContinuousClock.Instant?) -> BoundsAnalyzer {
        var options = BoundsOptions()
        options.deadline = deadline
        if quick { options.slopeIterations = 0 }
        return BoundsAnalyzer(options: options)
    }

    /// One case's analysis from its results, one per method run.
    private static func analysis(of results: [CaseBounds], network: Network) -> Analysis {
        guard let last = results.last else {
            return Analysis(provedBy: nil, neuronBounds: nil, unstableReLUs: [])
        }
        if let proof = last.proof {
            return Analysis(provedBy: "\(last.method.rawValue) (\(proof))", neuronBounds: nil, unstableReLUs: last.unstableCounts,
                            proof: proof)
        }
        // The tightest network bounds are the last method's; all are sound, so any may feed Z3.
        let tightest = results.max { $0.method < $1.method } ?? last
        guard tightest.networkBounds.layers.count == network.layers.count else {
            return Analysis(provedBy: nil, neuronBounds: nil, unstableReLUs: tightest.unstableCounts)
        }
        return Analysis(provedBy: nil, neuronBounds: tightest.networkBounds,
                        unstableReLUs: tightest.unstableCounts)
    }
}
