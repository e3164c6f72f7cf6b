import NetworkIR
import Testing
@testable import ONNXImport

/// The exactness tests that decide whether two linear steps may be folded.
@Suite struct ExactFoldingTests {
    @Test func productsOfFloat32AreExact() {
        let a = Double(Float(0.1)), b = Double(Float(-3.7))
        #expect(ExactDouble.product(a, b) == a * b)
        #expect(ExactDouble.product(0, 5) == 0)
        #expect(ExactDouble.product(1, 0x1p-1030) == 0x1p-1030)
    }

    @Test func roundedProductsAreRejected() {
        #expect(ExactDouble.product(0.1, 0.1) == nil)           // two 53-bit significands
        #expect(ExactDouble.product(1e-200, 1e-200) == nil)     // underflows to zero
        #expect(ExactDouble.product(1e300, 1e300) == nil)       // overflows
        #expect(ExactDouble.product(0x1p-600, 0x1p-400) == nil) // too small to check
    }

    @Test func sums() {
        #expect(ExactDouble.sum(0.5, 0.25) == 0.75)
        #expect(ExactDouble.sum(0.1, 0.2) == nil)
        #expect(ExactDouble.sum(1, 0x1p-60) == nil)
        #expect(ExactDouble.dot([0.5, 2, 0], [4, 0.25, .pi], plus: 1) == 3.5)
        #expect(ExactDouble.dot([0.1], [3], plus: 0) == nil)
    }

    @Test func diagonalAfterDenseScalesRowsAndShiftsBias() throws {
        let dense = AffineStep.dense(AffineLayer(weights: Matrix([[1, 2], [3, 4]]), bias: [0, 1]))
        let diagonal = AffineStep.diagonal(scale: [2, -1], shift: [0.5, 0])
        let folded = try #require(AffineStep.folded(diagonal, after: dense))
        #expect(folded.materialised() == AffineLayer(weights: Matrix([[2, 4], [-3, -4]]), bias: [0.5, -1]))
    }

    @Test func denseAfterShiftFoldsOnlyWhenTheBiasIsExact() throws {
        let dense = AffineStep.dense(AffineLayer(weights: Matrix([[1, 2]]), bias: [0]))
        let exact = try #require(AffineStep.folded(dense, after: .diagonal(scale: [1, 1], shift: [0.5, 0.25])))
        #expect(exact.materialised() == AffineLayer(weights: Matrix([[1, 2]]), bias: [1]))
        let third = 1.0 / 3.0
        #expect(AffineStep.folded(.dense(AffineLayer(weights: Matrix([[third, third]]), bias: [0])),
                                  after: .diagonal(scale: [1, 1], shift: [third, 1])) == nil)
    }

    @Test func permutationsComposeAndMoveRowsOrColumns() throws {
        let dense = AffineStep.dense(AffineLayer(weights: Matrix([[1, 2], [3, 4], [5, 6]]), bias: [7, 8, 9]))
        let rows = try #require(AffineStep.folded(.permutation(source: [2, 0, 1]), after: dense))
        #expect(rows.materialised() == AffineLayer(weights: Matrix([[5, 6], [1, 2], [3, 4]]), bias: [9, 7, 8]))
        let columns = try #require(AffineStep.folded(dense, after: .permutation(source: [1, 0])))
        // y = W·z with z = (x1, x0): column 0 of W now multiplies x1.
        #expect(columns.materialised().weights == Matrix([[2, 1], [4, 3], [6, 5]]))
        let twice = try #require(AffineStep.folded(.permutation(source: [1, 2, 0]), after: .permutation(source: [2, 0, 1])))
        #expect(twice.isIdentity)
    }

    @Test func twoDenseStepsStaySeparate() {
        let dense = AffineStep.dense(AffineLayer(weights: Matrix([[1]]), bias: [0]))
        #expect(AffineStep.folded(dense, after: dense) == nil)
    }

    @Test func builderKeepsInexactFoldsAsSeparateLayers() throws {
        let node = NodeLocation(index: 0, name: "", opType: "Test")
        var builder = LayerBuilder(file: "test.onnx")
        try builder.append(.dense(AffineLayer(weights: Matrix([[1.0 / 3.0]]), bias: [0])), from: node)
        try builder.append(.diagonal(scale: [0.1], shift: [0]), from: node)   // (1/3)·0.1 rounds
        try builder.append(.diagonal(scale: [1], shift: [0]), from: node)     // identity: dropped
        let layers = try builder.finish()
        #expect(layers.count == 2)
        #expect(layers.last == .affine(AffineLayer(weights: Matrix([[0.1]]), bias: [0])))
    }

    /// A diagonal or permutation too large to store densely is stored sparse, never as 10^8 entries.
    @Test func builderStoresHugeDiagonalsSparse() throws {
        var builder = LayerBuilder(file: "big.onnx")
        let node = NodeLocation(index: 4, name: "shift", opType: "Add")
        let n = 10_000
        try builder.append(.diagonal(scale: Array(repeating: 2, count: n), shift: Array(repeating: 1, count: n)), from: node)
        try builder.appendReLU()
        try builder.append(.permutation(source: (0..<n).reversed()), from: node)
        let layers = try builder.finish()
        #expect(layers.count == 3)
        for case let .affine(layer) in layers {
            guard case .sparse = layer.matrix else { Issue.record("a \(n)-wide layer is dense"); continue }
            #expect(layer.matrix.storedCount == n)
        }
        let network = try Network(inputShape: [1, n], layers: layers)
        let x = (0..<n).map { Double($0 % 5) - 2 }
        #expect(network.evaluate(x) == x.map { max(0, 2 * $0 + 1) }.reversed())
    }
}
