import Foundation
import Testing
@testable import NetworkIR

/// Sigmoid and tanh layers evaluate as the functions do, in float64 and float32.
@Suite struct SmoothLayerTests {
    @Test func evaluationAtKnownPoints() throws {
        let sigmoid = try Network(inputShape: [3], layers: [.sigmoid])
        #expect(sigmoid.evaluate([0, 1, -1000]) == [0.5, 1 / (1 + exp(-1)), 0])
        #expect(sigmoid.evaluateFloat([0, 1, 1000]) == [0.5, 1 / (1 + exp(Float(-1))), 1])
        let tanh = try Network(inputShape: [2], layers: [.tanh])
        #expect(tanh.evaluate([0, 0.5]) == [0, Foundation.tanh(0.5)])
        #expect(tanh.evaluateFloat([0, -800]) == [0, -1])
        #expect(sigmoid.hasSmoothActivations && tanh.hasSmoothActivations)
        #expect(try !Network(inputShape: [1], layers: [.relu]).hasSmoothActivations)
        #expect([Layer.sigmoid, .tanh].map(\.kindName) == ["sigmoid", "tanh"])
    }

    /// Carried entries pass through unchanged in both precisions; a carried list of the wrong
    /// length is refused; a list with nothing carried is the plain layer.
    @Test func carriedEntriesPassThrough() throws {
        let layer = Layer.smooth(SmoothLayer(.sigmoid, carried: [false, true, false]))
        let network = try Network(inputShape: [3], layers: [layer])
        #expect(network.evaluate([0, -2.5, 1]) == [0.5, -2.5, 1 / (1 + exp(-1))])
        #expect(network.evaluateFloat([0, -2.5, 1000]) == [0.5, -2.5, 1])
        #expect(layer.kindName == "sigmoid" && layer.smoothActivation == .sigmoid)
        #expect(throws: NetworkError.sizeMismatch(layer: 0, expected: 3, actual: 2)) {
            try Network(inputShape: [2], layers: [layer])
        }
        #expect(Layer.smooth(SmoothLayer(.tanh, carried: [false, false])) == .tanh)
    }

    /// σ(−x) = 1 − σ(x), tanh(−x) = −tanh(x), and the derivative formulas, to rounding.
    @Test func symmetryAndDerivatives() {
        for f in SmoothActivation.allCases {
            for x in stride(from: -6.0, through: 6, by: 0.37) {
                #expect(abs(f.value(-x) - (f.reflection - f.value(x))) < 1e-15)
                let h = 1e-6
                let numeric = (f.value(x + h) - f.value(x - h)) / (2 * h)
                #expect(abs(f.derivative(x) - numeric) < 1e-8)
            }
            for slope in [0.01, 0.1, 0.2] where slope < f.maximumSlope {
                let x = f.convexPoint(withSlope: slope)
                #expect(x <= 0 && abs(f.derivative(x) - slope) < 1e-9)
            }
        }
    }

    /// A product of networks is aligned at ReLUs; a smooth layer is refused, not mistaken for
    /// a division.
    @Test func productRefusesSmoothLayers() throws {
        let network = try Network(inputShape: [2], layers: [.sigmoid])
        #expect(throws: NetworkError.unsupportedLayer(layer: 0, kind: "sigmoid")) {
            try ProductNetwork.build([.init(network: network, inputIndices: [0, 1])], inputCount: 2)
        }
    }
}
