@testable import Bounds
import Testing

/// The packed phase list: order, replacement and lookups.
@Suite struct PhaseAssignmentTests {
    @Test func fixingKeepsEveryPhaseInLayerAndNeuronOrder() {
        var phases = PhaseAssignment()
        var expected: [Int: [Int: ReLUPhase]] = [:]
        var rng = 12345 as UInt64
        for _ in 0..<200 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let layer = Int(rng >> 60) % 5 * 2 + 1, neuron = Int(rng >> 40) % 300
            let phase: ReLUPhase = rng & 1 == 0 ? .active : .inactive
            phases = phases.fixing(layer: layer, neuron: neuron, to: phase)
            expected[layer, default: [:]][neuron] = phase
        }
        #expect(phases.count == expected.values.reduce(0) { $0 + $1.count })
        for (layer, neurons) in expected {
            #expect(phases.phases(inLayer: layer) == neurons)
            for (neuron, phase) in neurons { #expect(phases[layer: layer, neuron: neuron] == phase) }
        }
        let order = phases.splitConstraints.map { [$0.layer, $0.neuron] }
        #expect(order == order.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(phases.phases(inLayer: 0).isEmpty && phases[layer: 2, neuron: 0] == nil)
    }

    @Test func aRefixedNeuronTakesItsNewPhaseAndFreeingRemovesIt() {
        var phases = PhaseAssignment().fixing(layer: 1, neuron: 4, to: .active).fixing(layer: 1, neuron: 2, to: .inactive)
        phases = phases.fixing(layer: 1, neuron: 4, to: .inactive)
        #expect(phases.count == 2 && phases[layer: 1, neuron: 4] == .inactive)
        phases.fix(layer: 1, neuron: 2, to: nil)
        #expect(phases.count == 1 && phases[layer: 1, neuron: 2] == nil)
    }

    @Test func splitMultipliersAnswerByNeuronAndZeroElsewhere() {
        let multipliers = SplitMultipliers(values: [(3, 7, 0), (1, 9, 0.25), (2, 1 << 20, 0.5), (300, 1, 1)])
        #expect(multipliers.value(layer: 1, neuron: 9) == 0.25)
        #expect(multipliers.value(layer: 2, neuron: 1 << 20) == 0.5)
        #expect(multipliers.value(layer: 3, neuron: 7) == 0)
        #expect(multipliers.value(layer: 1, neuron: 7) == 0)
        // A zero is not stored, nor a neuron beyond the key's packing (β is only a warm start).
        #expect(multipliers.count == 2 && multipliers.value(layer: 300, neuron: 1) == 0)
    }
}
