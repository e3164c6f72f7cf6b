import Foundation
import NetworkIR
import Search
import VNNLIB

/// The result of the attack the generator runs on each instance to check that a planted
/// counterexample is hidden: sampling plus PGD with many restarts (`Search.Falsifier`).
public struct AttackRecord: Sendable, Equatable, Codable {
    /// Whether the attack found a counterexample (valid in float64, whatever float32 says).
    public var found: Bool
    /// The input it found, if any.
    public var point: [Double]?
    /// Network evaluations spent.
    public var pointsEvaluated: Int
    /// The best double-precision margin it reached (negative: never reached the unsafe set).
    public var bestMargin: Double
    /// The budgets used.
    public var restarts: Int
    public var steps: Int
    public var uniformSamples: Int
    /// Wall-clock seconds.
    public var seconds: Double
}

/// The budgets of the hidden-ness attack.
public struct HidingAttack: Sendable, Hashable, Codable {
    /// PGD starts per specification case.
    public var restarts: Int
    /// PGD steps per start.
    public var steps: Int
    /// Uniform samples per box.
    public var uniformSamples: Int
    /// Random corners per box.
    public var cornerSamples: Int

    public init(restarts: Int = 100, steps: Int = 100, uniformSamples: Int = 2000, cornerSamples: Int = 256) {
        self.restarts = restarts
        self.steps = steps
        self.uniformSamples = uniformSamples
        self.cornerSamples = cornerSamples
    }

    /// Runs the attack on `network` against `specification`.
    /// - Throws: `SearchError` when they do not fit together.
    public func run(on network: Network, specification: Specification, seed: UInt64) throws -> AttackRecord {
        let falsifier = try Falsifier(network: network, specification: specification)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = falsifier.run(Falsifier.Options(
            seed: seed, uniformSamples: uniformSamples, cornerSamples: cornerSamples, restarts: restarts, steps: steps,
            gridBudget: 0))
        let elapsed = clock.now - start
        let hit = outcome.counterexample ?? outcome.rejected
        return AttackRecord(found: hit != nil, point: hit?.input, pointsEvaluated: outcome.pointsEvaluated,
                            bestMargin: outcome.bestMargin, restarts: restarts, steps: steps,
                            uniformSamples: uniformSamples, seconds: Seconds.of(elapsed))
    }
}
