/// Dense kernels for the bound computations, on raw buffers so that the inner loops run over
/// contiguous memory without bounds checks or copy-on-write traffic.
///
/// Every output entry is a dot product accumulated in increasing index order, so the error
/// bounds of `SoundRounding` apply to it.
enum DenseKernels {
    /// `out (R×m) = a (R×n) · w (n×m)`, all row-major. Rows of `a` are processed four at a
    /// time so that each row of `w` is loaded once per block; zero coefficients are skipped
    /// (stable-inactive ReLUs make whole columns of `a` zero).
    /// - Complexity: O(R × n × m).
    static func multiply(_ a: UnsafePointer<Double>, rows: Int, inner n: Int,
                         by w: UnsafePointer<Double>, columns m: Int,
                         into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: rows * m)
        var r = 0
        while r + 4 <= rows {
            let a0 = a + r * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n
            let o0 = out + r * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m
            for i in 0..<n {
                let c0 = a0[i], c1 = a1[i], c2 = a2[i], c3 = a3[i]
                if c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0 { continue }
                let wi = w + i * m
                for j in 0..<m {
                    let x = wi[j]
                    o0[j] += c0 * x
                    o1[j] += c1 * x
                    o2[j] += c2 * x
                    o3[j] += c3 * x
                }
            }
            r += 4
        }
        while r < rows {
            let ar = a + r * n, o = out + r * m
            for i in 0..<n {
                let c = ar[i]
                if c == 0 { continue }
                let wi = w + i * m
                for j in 0..<m { o[j] += c * wi[j] }
            }
            r += 1
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
