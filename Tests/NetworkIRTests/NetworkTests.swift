import Testing
@testable import NetworkIR

@Suite struct NetworkTests {
    /// x ∈ R², h = relu([[1, -1], [2, 1]]·x + [0, -1]), y = [1, 1]·h / 2.
    static func small() throws -> Network {
        try Network(inputShape: [1, 2], layers: [
            .affine(AffineLayer(weights: Matrix([[1, -1], [2, 1]]), bias: [0, -1])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1, 1]]), bias: [0])),
            .divide(divisors: [2]),
        ])
    }

    @Test func evaluatesByHand() throws {
        let net = try Self.small()
        #expect(net.inputSize == 2 && net.outputSize == 1)
        #expect(net.layerSizes == [2, 2, 1, 1])
        #expect(net.reluCount == 2)
        // x = (1, 2): pre = (-1, 3), relu = (0, 3), sum = 3, /2 = 1.5
        #expect(net.evaluate([1, 2]) == [1.5])
        #expect(net.evaluateFloat([1, 2]) == [1.5])
        #expect(net.evaluateTrace([1, 2]) == [[-1, 3], [0, 3], [3], [1.5]])
    }

    @Test func rejectsMismatchedAndNonFiniteLayers() {
        #expect(throws: NetworkError.sizeMismatch(layer: 0, expected: 3, actual: 2)) {
            try Network(inputShape: [2], layers: [.affine(AffineLayer(weights: .zeros(rows: 1, columns: 3), bias: [0]))])
        }
        #expect(throws: NetworkError.nonFiniteParameter(layer: 0)) {
            try Network(inputShape: [1], layers: [.affine(AffineLayer(weights: Matrix([[Double.nan]]), bias: [0]))])
        }
        #expect(throws: NetworkError.zeroDivisor(layer: 1)) {
            try Network(inputShape: [1], layers: [.relu, .divide(divisors: [0])])
        }
        #expect(throws: NetworkError.invalidInputShape([0, 3])) {
            try Network(inputShape: [0, 3], layers: [])
        }
    }

    @Test func matrixOperations() {
        let m = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(m.multiply([1, 0, -1]) == [-2, -2])
        #expect(m.transposeMultiply([1, -1]) == [-3, -3, -3])
    }
}
