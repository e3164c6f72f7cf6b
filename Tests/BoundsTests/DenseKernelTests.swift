import Search
import Testing
@testable import Bounds

@Suite struct DenseKernelTests {
    /// All kernels agree with a naive product: exactly on small integers (every partial sum is
    /// representable), and to rounding on random doubles; zero columns and ragged edges included.
    @Test(arguments: [(1, 1, 1), (3, 5, 7), (4, 8, 8), (5, 9, 13), (9, 16, 3), (13, 31, 22)])
    func kernelsAgree(rows: Int, inner: Int, columns: Int) {
        var rng = SplitMix64(seed: UInt64(rows * 1000 + inner * 10 + columns))
        for integers in [true, false] {
            var a = (0..<(rows * inner)).map { _ in integers ? Double(Int.random(in: -9...9, using: &rng)) : Double.random(in: -1...1, using: &rng) }
            // A zero column, as a stable-inactive ReLU makes.
            for r in 0..<rows { a[r * inner + inner / 2] = 0 }
            let w = (0..<(inner * columns)).map { _ in integers ? Double(Int.random(in: -9...9, using: &rng)) : Double.random(in: -1...1, using: &rng) }
            var naive = [Double](repeating: 0, count: rows * columns)
            for r in 0..<rows { for i in 0..<inner { for j in 0..<columns { naive[r * columns + j] += a[r * inner + i] * w[i * columns + j] } } }
            let packed = PackedMatrix(rows: inner, columns: columns, storage: w)
            var results: [[Double]] = []
            for variant in 0..<3 {
                var out = [Double](repeating: .nan, count: rows * columns)
                a.withUnsafeBufferPointer { ap in
                    w.withUnsafeBufferPointer { wp in
                        out.withUnsafeMutableBufferPointer { op in
                            guard let ap = ap.baseAddress, let wp = wp.baseAddress, let op = op.baseAddress else { return }
                            switch variant {
                            case 0: DenseKernels.multiply(ap, rows: rows, inner: inner, by: wp, columns: columns, into: op)
                            case 1: DenseKernels.multiply(ap, rows: rows, inner: inner, by: packed, into: op, vectorised: false)
                            default: DenseKernels.multiply(ap, rows: rows, inner: inner, by: packed, into: op, vectorised: true)
                            }
                        }
                    }
                }
                results.append(out)
            }
            for (variant, out) in results.enumerated() {
                for k in out.indices {
                    let ok = integers ? out[k] == naive[k] : abs(out[k] - naive[k]) <= 1e-12 * Double(inner)
                    #expect(ok, "variant \(variant) entry \(k): \(out[k]) vs \(naive[k])")
                    if !ok { break }
                }
            }
        }
    }

    @Test func transposedPackingMatchesExplicitTranspose() {
        var rng = SplitMix64(seed: 99)
        let (m, n) = (7, 5)
        let w = (0..<(m * n)).map { _ in Double.random(in: -1...1, using: &rng) }
        var t = [Double](repeating: 0, count: n * m)
        for j in 0..<m { for i in 0..<n { t[i * m + j] = w[j * n + i] } }
        let direct = PackedMatrix(rows: n, columns: m, storage: t)
        let packed = PackedMatrix(transposing: w, rows: m, columns: n)
        #expect(packed.panels == direct.panels && packed.rows == n && packed.columns == m)
    }
}
