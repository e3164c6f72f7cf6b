import NetworkIR

/// Exact folding of two consecutive linear steps into one.
///
/// A verifier proves properties of the weights Certus stores, so a fold is only allowed when
/// every folded entry equals the real-number composition exactly; otherwise the steps stay
/// separate layers. Folds are attempted only where each folded entry is a single product (a
/// diagonal or permutation on one side), plus the bias, which may need a dot product.
extension AffineStep {
    /// `later ∘ earlier` as one step, or nil when some entry would be rounded, when both are
    /// dense (not attempted: sums of products are rarely exact), or when the sizes do not chain
    /// (then both steps are stored and `Network` reports the mismatch).
    /// - Complexity: O(entries of the dense operand), or O(n) for two compact steps.
    static func folded(_ later: AffineStep, after earlier: AffineStep) -> AffineStep? {
        guard later.inputSize == earlier.outputSize else { return nil }
        switch (later, earlier) {
        case let (.diagonal(s2, t2), .diagonal(s1, t1)):
            var scale = [Double](), shift = [Double]()
            scale.reserveCapacity(s1.count)
            shift.reserveCapacity(s1.count)
            for i in s1.indices {
                guard let s = ExactDouble.product(s2[i], s1[i]),
                      let st = ExactDouble.product(s2[i], t1[i]),
                      let t = ExactDouble.sum(st, t2[i]) else { return nil }
                scale.append(s)
                shift.append(t)
            }
            return .diagonal(scale: scale, shift: shift)

        case let (.diagonal(s, t), .dense(layer)):
            var weights = layer.weights
            var bias = layer.bias
            for i in 0..<weights.rows where s[i] != 1 {
                let base = i * weights.columns
                for j in 0..<weights.columns {
                    guard let w = ExactDouble.product(s[i], weights.storage[base + j]) else { return nil }
                    weights.storage[base + j] = w
                }
                guard let b = ExactDouble.product(s[i], bias[i]) else { return nil }
                bias[i] = b
            }
            for i in bias.indices {
                guard let b = ExactDouble.sum(bias[i], t[i]) else { return nil }
                bias[i] = b
            }
            return .dense(AffineLayer(weights: weights, bias: bias))

        case let (.dense(layer), .diagonal(s, t)):
            var weights = layer.weights
            var bias = layer.bias
            for i in 0..<weights.rows {
                guard let b = ExactDouble.dot(weights.row(i), t, plus: bias[i]) else { return nil }
                bias[i] = b
            }
            for j in 0..<weights.columns where s[j] != 1 {
                for i in 0..<weights.rows {
                    guard let w = ExactDouble.product(weights[i, j], s[j]) else { return nil }
                    weights[i, j] = w
                }
            }
            return .dense(AffineLayer(weights: weights, bias: bias))

        case let (.permutation(p2), .permutation(p1)):
            return .permutation(source: p2.map { p1[$0] })

        case let (.permutation(p), .dense(layer)):
            var weights = Matrix.zeros(rows: layer.weights.rows, columns: layer.weights.columns)
            for (i, k) in p.enumerated() {
                weights.storage.replaceSubrange(weights.row(i).indices, with: layer.weights.row(k))
            }
            return .dense(AffineLayer(weights: weights, bias: p.map { layer.bias[$0] }))

        case let (.dense(layer), .permutation(p)):
            // y = W·z with z_k = x_{p[k]}: column k of W moves to column p[k].
            var weights = Matrix.zeros(rows: layer.weights.rows, columns: layer.weights.columns)
            for i in 0..<weights.rows {
                for (k, j) in p.enumerated() { weights[i, j] = layer.weights[i, k] }
            }
            return .dense(AffineLayer(weights: weights, bias: layer.bias))

        case let (.permutation(p), .diagonal(s, t)):
            // y_i = s_{p[i]}·x_{p[i]} + t_{p[i]}: one entry per row, copied.
            var weights = Matrix.zeros(rows: p.count, columns: p.count)
            for (i, k) in p.enumerated() { weights[i, k] = s[k] }
            return .dense(AffineLayer(weights: weights, bias: p.map { t[$0] }))

        case let (.diagonal(s, t), .permutation(p)):
            // y_i = s_i·x_{p[i]} + t_i.
            var weights = Matrix.zeros(rows: p.count, columns: p.count)
            for (i, k) in p.enumerated() { weights[i, k] = s[i] }
            return .dense(AffineLayer(weights: weights, bias: t))

        case let (.diagonal(s, t), .sparse(layer)):
            // Row i of a sparse layer scaled by s_i: each stored entry one exact product.
            guard case let .sparse(w) = layer.matrix else { return nil }
            var values = w.values
            var bias = layer.bias
            for i in 0..<w.rows {
                if s[i] != 1 {
                    for k in w.rowStart[i]..<w.rowStart[i + 1] {
                        guard let v = ExactDouble.product(s[i], values[k]), v != 0 else { return nil }
                        values[k] = v
                    }
                }
                guard let b = ExactDouble.product(s[i], bias[i]), let shifted = ExactDouble.sum(b, t[i]) else { return nil }
                bias[i] = shifted
            }
            let scaled = SparseMatrix(rows: w.rows, columns: w.columns, rowStart: w.rowStart, columnIndex: w.columnIndex, values: values)
            return .sparse(AffineLayer(matrix: .sparse(scaled), bias: bias))

        case (.dense, .dense), (.sparse, _), (_, .sparse):
            return nil
        }
    }
}
