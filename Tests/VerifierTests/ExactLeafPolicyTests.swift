import NetworkIR
import Testing
import VNNLIB
@testable import Verifier
import Z3Backend

/// Which nodes branch and bound hands to Z3: none on a network too wide to encode exactly.
@Suite struct ExactLeafPolicyTests {
    /// `y = relu(x₀ + x₁)` over the unit square with the unsafe set `y < 0`: unreachable, but
    /// with a zero margin that floating-point bounds cannot refute, so only Z3 proves it.
    static func zeroMarginTree(weightLimit: Int) throws -> BranchAndBound {
        let net = try Network(inputShape: [1, 2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, 1]]), bias: [0])),
            .relu,
        ])
        let spec = try PropertyParser.parse(text: """
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            (declare-const Y_0 Real)
            (assert (<= 0 X_0 1))
            (assert (<= 0 X_1 1))
            (assert (< Y_0 0))
            """, fileName: "zero-margin.vnnlib")
        var options = BranchAndBound.Options()
        options.inputSplitLimit = 0
        options.exactLeafWeightLimit = weightLimit
        return BranchAndBound(network: net, specification: spec, caseIndices: [0], options: options,
                              makeSolver: { Z3Solver() }, seed: 0, leafPermits: ThreadPermits(count: 1))
    }

    // The deadlines are generous: the work is tiny, but under the full parallel test run the
    // task may wait long for a thread (a 30 s deadline once expired before it started).
    @Test func aSmallNetworksStuckNodeGoesToZ3() async throws {
        let result = try await Self.zeroMarginTree(weightLimit: 60_000).run(deadline: .now + .seconds(300))
        guard case let .proved(_, leaves) = result else {
            Issue.record("expected a proof, got \(result)")
            return
        }
        #expect(leaves >= 1)
    }

    @Test func aWideNetworksStuckNodeIsLeftUndecidedNotEncoded() async throws {
        let result = try await Self.zeroMarginTree(weightLimit: 1).run(deadline: .now + .seconds(300))
        guard case let .unknown(reason, _) = result else {
            Issue.record("expected unknown, got \(result)")
            return
        }
        #expect(reason.contains("too wide for an exact Z3 check"))
    }

    /// The undecided node's bound is reported: sound (the slack `y` reaches 0 at the origin)
    /// and close (the bounds are exact here but for rounding).
    @Test func anUndecidedTreeReportsItsBound() async throws {
        let result = try await Self.zeroMarginTree(weightLimit: 1).run(deadline: .now + .seconds(300))
        guard case let .unknown(_, bound) = result, let bound else {
            Issue.record("expected unknown with a bound, got \(result)")
            return
        }
        #expect(bound <= 0)
        #expect(bound > -1e-6)
    }
}
