/// A small seeded pseudo-random generator, so every search is reproducible from its seed.
///
/// SplitMix64 (Steele, Lea, Flood 2014, "Fast Splittable Pseudorandom Number Generators",
/// OOPSLA; the constants of Vigna's reference `splitmix64.c`). A value type: copying it forks
/// the stream, and there is no global generator.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The current state.
    public private(set) var state: UInt64

    /// Creates a generator from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1), from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in [low, high] (low when the range is empty or degenerate).
    public mutating func nextDouble(in low: Double, _ high: Double) -> Double {
        guard high > low else { return low }
        let v = low + (high - low) * nextUnit()
        return min(max(v, low), high)
    }

    /// A uniform integer in 0..<bound. - Precondition: `bound > 0`.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        return Int(next() % UInt64(bound))
    }
}
