import Synchronization
import Foundation
import NetworkIR
import Testing
import VNNLIB
@testable import Search

/// Exact back-mapping for `rotated` networks (layer 0 is `z = A·x`, A = [[1, 1], [1, −1]]):
/// the unique preimage is `x = A⁻¹·z = ((z₀ + z₁)/2, (z₀ − z₁)/2)`, and since `‖A⁻¹‖∞ = 1`, some
/// input in the box comes within `tolerance` of the target only if that preimage lies within
/// `tolerance` of the box. The answer is the projected preimage, checked, or `.spurious`.
struct RotationRealizer: HiddenPointRealizer {
    func realize(layer: Int, target: [Double], tolerance: Double, region: SpecificationCase,
                 deadline: ContinuousClock.Instant?) -> Realization {
        guard layer == 0, target.count == 2 else { return .unknown("only layer 0") }
        let preimage = [(target[0] + target[1]) / 2, (target[0] - target[1]) / 2]
        let box = CaseRegion(region, caseIndex: 0)
        let x = box.project(preimage)
        let z = [x[0] + x[1], x[0] - x[1]]
        if zip(z, target).allSatisfy({ abs($0 - $1) <= tolerance }) { return .realized(x) }
        let distance = zip(x, preimage).map { abs($0 - $1) }.max() ?? 0
        return distance > 2 * tolerance ? .spurious : .unknown("near the box")
    }
}

@Suite struct ManipulationSearchTests {
    typealias F = SearchFixtures

    static let square = F.box([(-1, 1), (-1, 1)])

    static func atLeastZero(_ net: Network, box: InputBox = square) -> Specification {
        F.spec(inputs: net.inputSize, outputs: 1, box: box, [F.outputAtLeast(0, .zero)])
    }

    @Test func findsTheNeedleAtAGridPointThatGradientAttackMisses() throws {
        let net = try F.edgeNeedle()
        let spec = Self.atLeastZero(net)
        let attack = try Falsifier(network: net, specification: spec).run(.init(uniformSamples: 0, cornerSamples: 0, restarts: 1, gridBudget: 0))
        #expect(attack.status == .exhausted && attack.counterexample == nil)
        // The falsifier's own grid stage (the default grid has 9 points) finds it.
        let staged = try Falsifier(network: net, specification: spec).run(.init(uniformSamples: 0, cornerSamples: 0, restarts: 1))
        #expect(staged.status == .found && staged.grid?.outcome == .counterexample)
        #expect(try Falsifier(network: net, specification: spec)
            .run(.init(uniformSamples: 0, cornerSamples: 0, restarts: 1, gridBudget: 8)).status == .exhausted)

        for pruner in [nil, IntervalCellPruner(network: net, specification: spec) as (any CellPruner)?] {
            let report = try ManipulationSearch(network: net, specification: spec, pruner: pruner).run(.init())
            #expect(report.outcome == .counterexample)
            let witness = try #require(report.counterexample)
            let cex = try #require(report.details.counterexample)
            #expect(cex.isValid && ReportingPolicy.vnncomp.accepts(cex))
            #expect(try CounterexampleCheck(network: net, specification: spec).check(witness.x) != nil)
            #expect(abs(witness.x[0] - 1) < 0.01 && abs(witness.x[1]) < 0.01)
            #expect(report.grid.steps == [1, 1] && Set(report.grid.dimensions) == [0, 1])
            #expect(report.grid.spans == [1, 1])
            #expect(report.pointsChecked >= 1 && report.pointsChecked <= 9)
        }
    }

    @Test func reportsCoverageWithoutClaimingSafetyWhenThePocketIsBetweenGridPoints() throws {
        let net = try F.interiorNeedle()
        let spec = Self.atLeastZero(net)
        let search = try ManipulationSearch(network: net, specification: spec)
        let report = try search.run(.init())
        #expect(report.outcome == .noneOnGrid)
        #expect(report.counterexample == nil)
        #expect(report.pointsChecked == 9 && report.pointsLeft == 0 && report.cellsPruned == 0)
        let text = report.text
        #expect(!text.lowercased().contains("unsat"))
        #expect(text.contains("not a proof"))
        #expect(text.contains("minimality assumption"))
        #expect(text.contains("dimensions [") && text.contains("spans [1.0, 1.0]") && text.contains("steps [1, 1]"))
        // The finer grid (two spans of 0.5) holds (0.5, 0.5).
        let finer = try search.run(.init(spans: 2))
        #expect(finer.outcome == .counterexample)
        #expect(finer.grid.spans == [0.5, 0.5] && finer.grid.steps == [2, 2])
    }

    @Test func findsTheSoundnessBenchCornerCounterexample() throws {
        let signs: [Double] = [1, -1, -1, 1, 1, 1, -1, 1, -1, -1]
        let net = try F.cornerPocket(signs: signs)
        let spec = Self.atLeastZero(net, box: F.box(Array(repeating: (-0.02, 0.02), count: 10)))
        let attack = try Falsifier(network: net, specification: spec).run(.init(uniformSamples: 64, cornerSamples: 0, restarts: 4, gridBudget: 0))
        #expect(attack.counterexample == nil)
        let pruned = try ManipulationSearch(network: net, specification: spec,
                                            pruner: IntervalCellPruner(network: net, specification: spec)).run(.init())
        let linear = try ManipulationSearch(network: net, specification: spec,
                                            pruner: BoundsCellPruner(network: net, specification: spec)).run(.init())
        let plain = try ManipulationSearch(network: net, specification: spec).run(.init())
        #expect(linear.cellsPruned > 0 && linear.pointsChecked < plain.pointsChecked)
        for report in [pruned, linear, plain] {
            #expect(report.outcome == .counterexample)
            let x = try #require(report.counterexample?.x)
            #expect(zip(x, signs).allSatisfy { abs($0 - 0.02 * $1) < 1e-4 })
        }
        // Pruning skips the blocks away from the corner.
        #expect(pruned.cellsPruned > 0 && pruned.pointsChecked < plain.pointsChecked)
        #expect(plain.pointsChecked + plain.pointsLeft == 59049)
    }

    @Test func mapsARealisableHiddenCounterexampleBack() throws {
        // y = relu(z0) − 1.5 with z0 = x0 + x1: hidden points with z0 = 2 violate; only
        // (2, 0) has a preimage, the corner (1, 1).
        let net = try F.rotated(outputWeights: [1, 0], bias: -1.5)
        let spec = Self.atLeastZero(net)
        for realizer in [RotationRealizer() as any HiddenPointRealizer, GradientRealizer(network: net)] {
            let report = try ManipulationSearch(network: net, specification: spec, realizer: realizer).run(.init(layer: 0))
            #expect(report.outcome == .counterexample, "\(realizer): \(report.text)")
            let x = try #require(report.counterexample?.x)
            #expect(abs(x[0] - 1) < 1e-2 && abs(x[1] - 1) < 1e-2)
            #expect(report.details.hiddenHits >= 1)
        }
    }

    @Test func reportsAnUnrealisableHiddenCounterexampleAsSpurious() throws {
        // y = relu(z0) + relu(z1) − 3.5: only the hidden corner (2, 2) violates, and the image
        // of the box is the diamond |z0| + |z1| <= 2, so it has no preimage.
        let net = try F.rotated(outputWeights: [1, 1], bias: -3.5)
        let spec = Self.atLeastZero(net)
        let exact = try ManipulationSearch(network: net, specification: spec, realizer: RotationRealizer()).run(.init(layer: 0))
        #expect(exact.outcome == .noneOnGrid)
        #expect(exact.details.hiddenHits == 1 && exact.details.spurious == 1 && exact.details.unresolved == 0)
        #expect(exact.text.contains("unrealisable") && !exact.text.lowercased().contains("unsat"))
        // Without an exact realizer the hit stays undecided: no claim of coverage.
        let incomplete = try ManipulationSearch(network: net, specification: spec,
                                                realizer: GradientRealizer(network: net, starts: 2, steps: 50)).run(.init(layer: 0))
        #expect(incomplete.outcome == .budgetExhausted)
        #expect(incomplete.details.unresolved == 1 && incomplete.pointsLeft == 1)
        let none = try ManipulationSearch(network: net, specification: spec).run(.init(layer: 0))
        #expect(none.outcome == .budgetExhausted && none.details.unresolved == 1)
    }

    @Test func wholeGridIsPrunedWhenBoundsProveItSafe() throws {
        let net = try F.peak()  // y <= 0.3 everywhere
        let spec = F.spec(inputs: 2, outputs: 1, box: Self.square, [F.outputAtLeast(0, F.q(0.31))])
        let pruners: [any CellPruner] = [IntervalCellPruner(network: net, specification: spec),
                                         BoundsCellPruner(network: net, specification: spec),
                                         BoundsCellPruner(network: net, specification: spec, method: .interval)]
        for pruner in pruners {
            let report = try ManipulationSearch(network: net, specification: spec, pruner: pruner).run(.init(spans: 3))
            #expect(report.outcome == .noneOnGrid)
            #expect(report.pointsChecked == 0 && report.cellsPruned == 36 && report.pointsLeft == 0)
            #expect(report.details.pointsPruned == 49 && report.details.prunerCalls == 1)
        }
    }

    @Test func hiddenLayerCellsArePrunedOnTheLayersAbove() throws {
        // Only hidden points near (2, 2) can reach relu(z0) + relu(z1) >= 3.5.
        let net = try F.rotated(outputWeights: [1, 1], bias: -3.5)
        let spec = Self.atLeastZero(net)
        for pruner in [IntervalCellPruner(network: net, specification: spec) as any CellPruner,
                       BoundsCellPruner(network: net, specification: spec)] {
            let report = try ManipulationSearch(network: net, specification: spec, pruner: pruner, realizer: RotationRealizer())
                .run(.init(spans: 2, layer: 0))
            #expect(report.outcome == .noneOnGrid && report.details.spurious == 1)
            #expect(report.cellsPruned > 0 && report.pointsChecked < 25)
        }
    }

    @Test func stopsAtThePointBudgetAndReportsWhatIsLeft() throws {
        let net = try F.interiorNeedle()
        let report = try ManipulationSearch(network: net, specification: Self.atLeastZero(net))
            .run(.init(dimensions: 2, spans: 4, maxPoints: 10))
        #expect(report.outcome == .budgetExhausted)
        #expect(report.pointsChecked == 10 && report.pointsLeft == 81 - 10)
        #expect(report.details.stopReason == "point budget")
        // Without explicit dimensions, the budget picks as many dimensions as fit.
        let fitted = try ManipulationSearch(network: net, specification: Self.atLeastZero(net)).run(.init(maxPoints: 5))
        #expect(fitted.grid.dimensions.count == 1 && fitted.pointsChecked == 3 && fitted.outcome == .noneOnGrid)
    }

    @Test func honoursTheDeadlineAndCallsProgress() throws {
        let net = try F.interiorNeedle()
        let search = try ManipulationSearch(network: net, specification: Self.atLeastZero(net))
        let late = try search.run(.init(deadline: .now - .seconds(1)))
        #expect(late.outcome == .budgetExhausted && late.details.stopReason == "deadline" && late.pointsChecked == 0)
        let calls = Counter()
        _ = try search.run(.init(spans: 20, progressInterval: .zero)) { _ in calls.increment() }
        #expect(calls.value > 0)
    }

    @Test func encodesTheDocumentedJSON() throws {
        let net = try F.edgeNeedle()
        let report = try ManipulationSearch(network: net, specification: Self.atLeastZero(net)).run(.init())
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["outcome", "grid", "pointsChecked", "cellsPruned", "pointsLeft", "counterexample"])
        #expect(object["outcome"] as? String == "counterexample")
        let grid = try #require(object["grid"] as? [String: Any])
        #expect(Set(grid.keys) == ["dimensions", "spans", "steps"])
        let witness = try #require(object["counterexample"] as? [String: Any])
        #expect(Set(witness.keys) == ["x", "y"])
        let decoded = try JSONDecoder().decode(SearchReport.self, from: data)
        #expect(decoded.outcome == report.outcome && decoded.counterexample == report.counterexample)

        let none = try ManipulationSearch(network: try F.interiorNeedle(), specification: Self.atLeastZero(net)).run(.init())
        let text = String(decoding: try JSONEncoder().encode(none), as: UTF8.self)
        #expect(text.contains("\"counterexample\":null") && text.contains("\"outcome\":\"none-on-grid\""))
    }

    @Test func rejectsUnusableOptionsWithDescriptiveErrors() throws {
        let net = try F.interiorNeedle()
        let search = try ManipulationSearch(network: net, specification: Self.atLeastZero(net))
        #expect(throws: SearchError.invalidOption(name: "spans", reason: "must be at least 1")) { try search.run(.init(spans: 0)) }
        #expect(throws: SearchError.layerOutOfRange(layer: 9, layerCount: 5)) { try search.run(.init(layer: 9)) }
        #expect(throws: SearchError.invalidOption(name: "span", reason: "give one value or 2 (one per dimension), not 3")) {
            try search.run(.init(span: [0.1, 0.2, 0.3]))
        }
        #expect(throws: SearchError.invalidOption(name: "span", reason: "spans must be positive and finite")) {
            try search.run(.init(span: [-1]))
        }
    }

    @Test func explicitSpansAreClampedIntoTheBox() throws {
        let net = try F.interiorNeedle()
        let plans = try ManipulationSearch(network: net, specification: Self.atLeastZero(net))
            .plan(.init(span: [0.75], spans: 2))
        let grid = try #require(plans.first?.grid)
        #expect(grid.values.allSatisfy { $0 == [-1, -0.75, 0, 0.75, 1] })
    }

    @Test func gradientSaliencyPutsTheInfluentialDimensionFirst() throws {
        // y = 3·x1 − 0.5·x0: x1 matters more.
        let net = try Network(inputShape: [2], layers: [.affine(AffineLayer(weights: Matrix([[-0.5, 3]]), bias: [0]))])
        let search = try ManipulationSearch(network: net, specification: Self.atLeastZero(net, box: F.box([(-1, 1), (-1, 1)])))
        #expect(try search.plan(.init()).first?.grid.dimensions == [1, 0])
        #expect(try search.plan(.init(dimensions: 1)).first?.grid.dimensions == [1])
        #expect(try search.plan(.init()).first?.preferredDirections == [1, -1])
    }
}

/// A thread-safe counter for callbacks.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}
