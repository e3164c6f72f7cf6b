import Testing
@testable import NetworkIR

/// `SparseMatrix` holds exactly the nonzeros of a dense matrix, and its products equal the
/// dense ones (the skipped products are exact zeros).
@Suite struct SparseMatrixTests {
    static func randomMatrix(rows: Int, columns: Int, density: Double, seed: UInt64) -> Matrix {
        var state = seed
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var m = Matrix.zeros(rows: rows, columns: columns)
        for k in m.storage.indices where next() < density { m.storage[k] = (next() - 0.5) * 4 }
        return m
    }

    @Test(arguments: [UInt64(1), 2, 3]) func roundTripAndProducts(seed: UInt64) {
        let dense = Self.randomMatrix(rows: 9, columns: 13, density: 0.3, seed: seed)
        let sparse = SparseMatrix(dense)
        #expect(sparse.densified == dense)
        #expect(sparse.nonzeroCount == dense.storage.filter { $0 != 0 }.count)
        let x = (0..<13).map { Double($0) * 0.37 - 2 }
        let g = (0..<9).map { Double($0 % 3) - 1 }
        #expect(sparse.multiply(x) == dense.multiply(x))
        #expect(sparse.transposeMultiply(g) == dense.transposeMultiply(g))
        let layer = AffineLayer(matrix: .sparse(sparse), bias: Array(repeating: 0.5, count: 9))
        #expect(layer.weights == dense)
        #expect(layer.matrix.storedCount == sparse.nonzeroCount)
        var visited: [[Double]] = Array(repeating: Array(repeating: 0, count: 13), count: 9)
        for i in 0..<9 { layer.matrix.forEachEntry(inRow: i) { j, w in visited[i][j] = w } }
        #expect(visited.flatMap { $0 } == dense.storage)
    }

    /// A network with sparse layers evaluates as its dense copy, in double and single precision.
    @Test func networkEvaluationMatchesDense() throws {
        let w1 = Self.randomMatrix(rows: 12, columns: 6, density: 0.4, seed: 7)
        let w2 = Self.randomMatrix(rows: 3, columns: 12, density: 0.5, seed: 8)
        let b1 = (0..<12).map { Double($0) * 0.1 - 0.6 }, b2 = [0.25, -0.5, 1]
        let dense = try Network(inputShape: [6], layers: [.affine(AffineLayer(weights: w1, bias: b1)), .relu,
                                                       .affine(AffineLayer(weights: w2, bias: b2))])
        let sparse = try Network(inputShape: [6], layers: [.affine(AffineLayer(matrix: .sparse(SparseMatrix(w1)), bias: b1)), .relu,
                                                        .affine(AffineLayer(matrix: .sparse(SparseMatrix(w2)), bias: b2))])
        #expect(sparse.hasSparseLayers && !dense.hasSparseLayers)
        #expect(sparse.storedWeightCount < dense.storedWeightCount)
        for t in 0..<20 {
            let x = (0..<6).map { Double(($0 * 7 + t * 3) % 11) / 5 - 1 }
            #expect(sparse.evaluate(x) == dense.evaluate(x))
            #expect(sparse.evaluateFloat(x.map(Float.init)) == dense.evaluateFloat(x.map(Float.init)))
        }
    }

    @Test func nonFiniteSparseWeightsAreRejected() {
        let bad = SparseMatrix(rows: 1, columns: 2, rowStart: [0, 1], columnIndex: [1], values: [.nan])
        #expect(throws: NetworkError.self) {
            try Network(inputShape: [2], layers: [.affine(AffineLayer(matrix: .sparse(bad), bias: [0]))])
        }
    }
}
