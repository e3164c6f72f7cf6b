import Bounds
import Foundation
import NetworkIR
import Search

/// A short projected-gradient ascent of one case's violation margin inside a branch-and-bound
/// node's box: the "attack on promising nodes".
///
/// Why: the attack before branch and bound searches the whole region for a few seconds, and a
/// node otherwise tries only its box centre and the vertices minimising the constraints' linear
/// minorants. On ACAS Xu 1_6 prop_2, 5_3 prop_2 and 2_9 prop_8 the unsafe regions are too small
/// for either; deep in the tree a node's box is small enough that a few steps from its best
/// candidate reach them. The steps are signed gradients scaled by the node's widths (the
/// ℓ∞ PGD of Madry et al. 2018, "Towards Deep Learning Models Resistant to Adversarial
/// Attacks", eq. 2) on the margin loss of `MarginObjective`, with a geometric step schedule.
///
/// The step loop is `ProjectedGradientAscent`, the falsifier's own. It only proposes points:
/// the caller confirms every one with `CounterexampleCheck`.
struct NodeAttack: Sendable {
    /// The network in the attack's (sparse) form.
    let network: AttackNetwork
    /// Per case of the group (positions), the margin objective.
    let objectives: [MarginObjective]
    /// Gradient steps per climb.
    var steps = 12
    /// Climbs per node, from its best candidate points.
    var starts = 1
    /// First and last step as a share of the node's width in each dimension.
    var initialStep = 0.25
    var finalStep = 0.01

    init(network: Network, objectives: [MarginObjective]) {
        self.network = AttackNetwork(network)
        self.objectives = objectives
    }

    /// The point of largest margin seen while climbing from `start` in `box`, and that margin
    /// (positive inside the unsafe set).
    func climb(from start: [Double], in box: IntervalVector, position: Int) -> (point: [Double], margin: Double) {
        let widths = zip(box.lower, box.upper).map { $1 - $0 }
        let climb = ProjectedGradientAscent(steps: steps, initialStep: initialStep, finalStep: finalStep)
            .climb(from: start, lower: box.lower, upper: box.upper, widths: widths,
                   objective: objectives[position], network: network)
        return (climb.point, climb.margin)
    }
}
