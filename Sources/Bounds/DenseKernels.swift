import CBoundsKernels
import NetworkIR

/// Dense kernels for the bound computations, on raw buffers so that the inner loops run over
/// contiguous memory without bounds checks or copy-on-write traffic.
///
/// Every output entry is a dot product accumulated in increasing index order, so the error
/// bounds of `SoundRounding` apply to it.
enum DenseKernels {
    /// Whether the AVX2/FMA kernel of `CBoundsKernels` can run here (checked once).
    static let hasAVX2: Bool = certus_has_avx2_fma() != 0

    /// `out (R×m) = a (R×n) · w (n×m)`, all row-major. Rows of `a` are processed four at a
    /// time so that each row of `w` is loaded once per block; zero coefficients are skipped
    /// (stable-inactive ReLUs make whole columns of `a` zero).
    /// - Complexity: O(R × n × m).
    static func multiply(_ a: UnsafePointer<Double>, rows: Int, inner n: Int,
                         by w: UnsafePointer<Double>, columns m: Int,
                         into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: rows &* m)
        var r = 0
        while r &+ 4 <= rows {
            let a0 = a + r &* n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n
            let o0 = out + r &* m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m
            for i in 0..<n {
                let c0 = a0[i], c1 = a1[i], c2 = a2[i], c3 = a3[i]
                if c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0 { continue }
                let wi = w + i &* m
                for j in 0..<m {
                    let x = wi[j]
                    o0[j] += c0 * x
                    o1[j] += c1 * x
                    o2[j] += c2 * x
                    o3[j] += c3 * x
                }
            }
            r &+= 4
        }
        while r < rows {
            let ar = a + r &* n, o = out + r &* m
            for i in 0..<n {
                let c = ar[i]
                if c == 0 { continue }
                let wi = w + i &* m
                for j in 0..<m { o[j] += c * wi[j] }
            }
            r &+= 1
        }
    }

    /// `out (R×m) = a (R×n) · W` with `W` given as column panels (`PackedMatrix`): a 4×4 tile
    /// of the output stays in registers while the inner index runs over a contiguous panel,
    /// sixteen multiply-adds per five loads and no store; zero columns of `a` are skipped.
    /// - Parameter vectorised: whether the AVX2 kernel may be used (tests turn it off to check
    ///   the portable path).
    static func multiply(_ a: UnsafePointer<Double>, rows: Int, inner n: Int, by packed: PackedMatrix,
                         into out: UnsafeMutablePointer<Double>, vectorised: Bool = true) {
        let m = packed.columns
        // Branch-free scan: a column is used when some row is non-zero there.
        var used = [UInt8](repeating: 0, count: n)
        used.withUnsafeMutableBufferPointer { flags in
            for r in 0..<rows {
                let row = a + r &* n
                for i in 0..<n { flags[i] |= row[i] != 0 ? 1 : 0 }
            }
        }
        var active = [Int32]()
        active.reserveCapacity(n)
        for i in 0..<n where used[i] != 0 { active.append(Int32(i)) }
        packed.panels.withUnsafeBufferPointer { panelBuffer in
            active.withUnsafeBufferPointer { columns in
                guard let panels = panelBuffer.baseAddress else { return }
                if vectorised && hasAVX2 {
                    certus_multiply_panels_avx2(a, rows, n, columns.baseAddress, columns.count, panels, m, out)
                    return
                }
                let raw = UnsafeRawPointer(panels)
                var r = 0
                while r < rows {
                    let block = min(4, rows &- r)
                    let a0 = a + r &* n
                    let a1 = block > 1 ? a0 + n : a0, a2 = block > 2 ? a0 + 2 &* n : a0, a3 = block > 3 ? a0 + 3 &* n : a0
                    var j = 0
                    while j < m {
                        let panel = raw + (j &* n) &* 8
                        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
                        for index in columns {
                            let i = Int(truncatingIfNeeded: index)
                            let x = panel.loadUnaligned(fromByteOffset: i &* 32, as: SIMD4<Double>.self)
                            s0 += a0[i] * x
                            s1 += a1[i] * x
                            s2 += a2[i] * x
                            s3 += a3[i] * x
                        }
                        let width = min(4, m &- j)
                        for t in 0..<width {
                            out[r &* m &+ j &+ t] = s0[t]
                            if block > 1 { out[(r &+ 1) &* m &+ j &+ t] = s1[t] }
                            if block > 2 { out[(r &+ 2) &* m &+ j &+ t] = s2[t] }
                            if block > 3 { out[(r &+ 3) &* m &+ j &+ t] = s3[t] }
                        }
                        j &+= 4
                    }
                    r &+= block
                }
            }
        }
    }

    /// `out (R×m) = x (R×n) · wᵀ` where `w` is `m×n` row-major: each output is the dot product
    /// of a row of `x` with a row of `w`.
    /// - Complexity: O(R × n × m).
    static func multiplyTransposed(_ x: UnsafePointer<Double>, rows: Int, inner n: Int,
                                   by w: UnsafePointer<Double>, outputs m: Int,
                                   into out: UnsafeMutablePointer<Double>) {
        for r in 0..<rows {
            let xr = x + r * n
            for i in 0..<m {
                let wi = w + i * n
                var sum = 0.0
                for j in 0..<n { sum += xr[j] * wi[j] }
                out[r * m + i] = sum
            }
        }
    }
}

/// A row-major `n×m` matrix stored as column panels of width 4: panel `p` holds columns
/// `4p…4p+3` for every row, row after row (zero-padded past the last column), so that a
/// matrix product can stream each panel contiguously.
struct PackedMatrix: Sendable {
    let rows: Int
    let columns: Int
    let panels: [Double]

    init(rows n: Int, columns m: Int, storage: [Double]) {
        rows = n
        columns = m
        let panelCount = (m + 3) / 4
        var packed = [Double](repeating: 0, count: panelCount * n * 4)
        packed.withUnsafeMutableBufferPointer { out in
            storage.withUnsafeBufferPointer { w in
                for i in 0..<n {
                    let row = i &* m
                    for j in 0..<m {
                        out[((j >> 2) &* n &+ i) &* 4 &+ (j & 3)] = w[row &+ j]
                    }
                }
            }
        }
        panels = packed
    }

    /// Packs the transpose of the row-major `m×n` matrix `storage` (an `n×m` matrix).
    init(transposing storage: [Double], rows m: Int, columns n: Int) {
        rows = n
        columns = m
        let panelCount = (m + 3) / 4
        var packed = [Double](repeating: 0, count: panelCount * n * 4)
        packed.withUnsafeMutableBufferPointer { out in
            storage.withUnsafeBufferPointer { w in
                for j in 0..<m {
                    let row = j &* n
                    for i in 0..<n {
                        // Entry (i, j) of the transpose is w[j][i].
                        out[((j >> 2) &* n &+ i) &* 4 &+ (j & 3)] = w[row &+ i]
                    }
                }
            }
        }
        panels = packed
    }
}

extension PackedMatrix {
    /// For each layer of `network`: an affine layer's weights transposed and packed
    /// (`inputs × outputs`, for products `x · Wᵀ` of row vectors), nil for other layers and for
    /// sparse weights (`WeightKernels` multiplies those).
    static func transposedWeights(of network: Network) -> [PackedMatrix?] {
        network.layers.map { layer in
            guard case let .affine(affine) = layer, let dense = affine.denseWeights else { return nil }
            return PackedMatrix(transposing: dense.storage, rows: affine.outputSize, columns: affine.inputSize)
        }
    }
}
