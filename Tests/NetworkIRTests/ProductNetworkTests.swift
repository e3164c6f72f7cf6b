import Testing
@testable import NetworkIR

/// The product of several networks computes each of them on its own inputs, including inputs
/// read as the sum of two product inputs (an ordered copy's `x + D`).
@Suite struct ProductNetworkTests {
    @Test func componentsWithOffsetsComputeTheirNetworksOnTheSums() throws {
        let net = try NetworkTests.small()
        // Product inputs (x0, x1, d): the first copy reads (x0, x1), the second (x0 + d, x1).
        let product = try ProductNetwork.build([
            ProductNetwork.Component(network: net, inputIndices: [0, 1]),
            ProductNetwork.Component(network: net, inputIndices: [0, 1], inputOffsets: [2, nil]),
        ], inputCount: 3)
        #expect(product.inputSize == 3 && product.outputSize == 2)
        for point in [[1.0, 2.0, 0.5], [-0.25, 0.75, 2.0], [0.0, 0.0, 0.0]] {
            let y = product.evaluate(point)
            #expect(y[0] == net.evaluate([point[0], point[1]])[0])
            #expect(y[1] == net.evaluate([point[0] + point[2], point[1]])[0])
        }
    }

    @Test func offsetsOutsideTheProductInputsAreRejected() throws {
        let net = try NetworkTests.small()
        #expect(throws: NetworkError.self) {
            try ProductNetwork.build([ProductNetwork.Component(network: net, inputIndices: [0, 1], inputOffsets: [3, nil])],
                                     inputCount: 3)
        }
    }
}
