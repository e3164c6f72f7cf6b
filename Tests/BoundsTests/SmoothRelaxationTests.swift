import Foundation
import NetworkIR
import Testing
@testable import Bounds

/// Sigmoid and tanh bounds: at sampled points of many random intervals (narrow, wide, on either
/// side of 0 and across it), the exact function (computed in 80-bit extended precision, far
/// more accurate than the margins) lies inside the interval image and between the two lines.
@Suite struct SmoothRelaxationTests {
    /// `f(x)` in extended precision.
    static func reference(_ f: SmoothActivation, _ x: Double) -> Float80 {
        let z = Float80(x)
        switch f {
        case .sigmoid: return 1 / (1 + expl(-z))
        case .tanh: return tanhl(z)
        }
    }

    /// Random intervals of every kind the bounds meet, from a fixed seed.
    static func intervals() -> [(Double, Double)] {
        var generator = SplitMix(seed: 7)
        var result: [(Double, Double)] = [(0, 0), (-1, 1), (-40, 40), (-1e6, 1e6), (-800, -700), (700, 800), (-1e-9, 1e-9),
                                          (0, 5), (-5, 0), (2, 2), (-30, -29.999), (1e-300, 1e-299)]
        for _ in 0..<600 {
            let centre = Double.random(in: -12...12, using: &generator)
            let width = pow(10, Double.random(in: -9...1.7, using: &generator))
            let shift = Double.random(in: 0...1, using: &generator)
            result.append((centre - shift * width, centre + (1 - shift) * width))
        }
        return result
    }

    @Test(arguments: SmoothActivation.allCases)
    func sampledValuesLieInsideTheImageAndBetweenTheLines(_ f: SmoothActivation) {
        var generator = SplitMix(seed: 11)
        for (l, u) in Self.intervals() {
            let (low, high) = f.image(lower: l, upper: u)
            let lines = SmoothRelaxation(f, lower: l, upper: u)
            for k in 0..<120 {
                let z = k == 0 ? l : k == 1 ? u : Double.random(in: l...u, using: &generator)
                let y = Self.reference(f, z)
                #expect(Float80(low) <= y && y <= Float80(high), "\(f) image [\(low), \(high)] misses \(y) at \(z) in [\(l), \(u)]")
                let below = Float80(lines.lowerSlope) * Float80(z) + Float80(lines.lowerIntercept)
                let above = Float80(lines.upperSlope) * Float80(z) + Float80(lines.upperIntercept)
                #expect(below <= y, "\(f) lower line \(lines) above \(y) at \(z) in [\(l), \(u)]")
                #expect(y <= above, "\(f) upper line \(lines) below \(y) at \(z) in [\(l), \(u)]")
            }
        }
    }

    /// On narrow intervals the lines are nearly the function (tangent and chord differ by
    /// about `f″·w²/8`, plus the margins), on either side of 0 and across it.
    @Test(arguments: SmoothActivation.allCases)
    func narrowIntervalsGiveTightLines(_ f: SmoothActivation) {
        for centre in [-3.0, -0.5, 0, 0.0004, 0.7, 4] {
            let (l, u) = (centre - 1e-3, centre + 1e-3)
            let lines = SmoothRelaxation(f, lower: l, upper: u)
            for z in [l, centre, u] {
                let gap = (lines.upperSlope - lines.lowerSlope) * z + (lines.upperIntercept - lines.lowerIntercept)
                #expect(gap >= 0 && gap < 1e-6, "\(f) gap \(gap) at \(z)")
            }
        }
    }

    /// The convex and concave sides use a tangent and the chord, not horizontal lines.
    @Test func slopesFollowTheCurvature() {
        let convex = SmoothRelaxation(.sigmoid, lower: -4, upper: -1)
        #expect(convex.lowerSlope == SmoothActivation.sigmoid.derivative(-2.5))
        #expect(abs(convex.upperSlope - (SmoothActivation.sigmoid.value(-1) - SmoothActivation.sigmoid.value(-4)) / 3) < 1e-15)
        let concave = SmoothRelaxation(.tanh, lower: 1, upper: 3)
        #expect(concave.upperSlope == SmoothActivation.tanh.derivative(2))
        #expect(concave.lowerSlope > 0)
    }

    /// A small deterministic generator, so that failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
