/// Double operations that report whether their result is exact, used to decide whether two
/// linear steps may be folded into one layer without changing the function the network computes.
///
/// Both tests are error-free transformations: `2MultFMA` (the error of `a·b` is `fma(a, b, -p)`)
/// and Knuth's `TwoSum` (Muller et al., *Handbook of Floating-Point Arithmetic*, 2nd ed.,
/// Algorithms 4.4 and 4.8). Each returns the rounded result only when the rounding error is zero.
enum ExactDouble {
    /// Below this magnitude the error term of a product may itself underflow, so a zero error
    /// would prove nothing; such products count as inexact (2^(-1022+53)).
    private static let smallestCheckedProduct = 0x1p-969

    /// `a·b` when it is exactly representable, otherwise nil.
    ///
    /// The product of two float32 values always is (24 + 24 significant bits ≤ 53).
    static func product(_ a: Double, _ b: Double) -> Double? {
        if a == 1 { return b }
        if b == 1 { return a }
        let p = a * b
        guard p.isFinite else { return nil }
        if p == 0 { return a == 0 || b == 0 ? p : nil }
        guard p.magnitude >= smallestCheckedProduct else { return nil }
        return (-p).addingProduct(a, b) == 0 ? p : nil
    }

    /// `a + b` when it is exactly representable, otherwise nil.
    static func sum(_ a: Double, _ b: Double) -> Double? {
        let s = a + b
        guard s.isFinite else { return nil }
        let bVirtual = s - a
        let aVirtual = s - bVirtual
        let error = (a - aVirtual) + (b - bVirtual)
        return error == 0 ? s : nil
    }

    /// `Σ weights[i]·values[i] + offset` when every product and every partial sum is exact
    /// (a sufficient condition for an exact result), otherwise nil. Zero terms are skipped.
    static func dot(_ weights: ArraySlice<Double>, _ values: [Double], plus offset: Double) -> Double? {
        var total = offset
        for (w, x) in zip(weights, values) where w != 0 && x != 0 {
            guard let term = product(w, x), let next = sum(total, term) else { return nil }
            total = next
        }
        return total
    }
}
