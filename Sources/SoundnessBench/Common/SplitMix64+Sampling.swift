import Foundation
import Search

/// Distributions the generator draws from, on the project's seeded generator.
extension SplitMix64 {
    /// A standard normal value (Box–Muller transform).
    public mutating func nextGaussian() -> Double {
        let u = max(nextUnit(), 0x1p-53)
        let v = nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A value whose logarithm is uniform between `log(low)` and `log(high)`.
    /// - Precondition: `0 < low ≤ high`.
    public mutating func nextLogUniform(_ low: Double, _ high: Double) -> Double {
        precondition(low > 0 && low <= high, "invalid log-uniform range")
        return exp(nextDouble(in: log(low), log(high)))
    }

    /// `+1` or `−1` with equal probability.
    public mutating func nextSign() -> Double { next() & 1 == 0 ? 1 : -1 }

    /// `count` distinct indices from `0..<n`, in increasing order (partial Fisher–Yates).
    /// - Precondition: `count ≤ n`.
    public mutating func nextSubset(of n: Int, count: Int) -> [Int] {
        precondition(count <= n, "subset larger than the set")
        var pool = Array(0..<n)
        for i in 0..<count { pool.swapAt(i, i + nextInt(below: n - i)) }
        return pool[..<count].sorted()
    }

    /// The elements of `array` in a random order.
    public mutating func shuffled<T>(_ array: [T]) -> [T] {
        var result = array
        guard result.count > 1 else { return result }
        for i in stride(from: result.count - 1, to: 0, by: -1) { result.swapAt(i, nextInt(below: i + 1)) }
        return result
    }
}
