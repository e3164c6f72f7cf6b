import Bounds
import Foundation
import NetworkIR
import ONNXImport
import Search
import VNNLIB

/// Steps shared by both planting methods: writing and re-reading a network, choosing boxes,
/// checking a planted point on the written file, and proving boxes safe with sound bounds.
enum PlantingToolkit {
    /// Inputs live in `[−1, 1]`; boxes are drawn well inside.
    static let domain = (lower: -1.0, upper: 1.0)
    /// Added to copied pixels so that the copy channels stay positive on the domain.
    static let copyShift = 2.0

    /// `value` rounded to a multiple of 2⁻²¹: such values below 4 in magnitude are float32
    /// numbers, and so are their sums with the copy shift, which keeps the float32 and float64
    /// runs of a planted point identical at the pocket's first layer.
    static func quantize(_ value: Double) -> Double { (value * 0x1p21).rounded() / 0x1p21 }

    /// The written form of `network` and the `Network` that `ONNXLoader` reads back from it:
    /// every check runs on the latter.
    static func written(_ network: LayeredNetwork, name: String) throws -> (model: BenchModel, data: Data, loaded: Network) {
        let model = try network.model()
        let data = try ONNXWriter.data(for: model, name: name)
        do {
            return (model, data, try ONNXLoader.load(data: data, fileName: name))
        } catch {
            throw SoundnessBenchError.generationFailed(model: name, reason: "the written ONNX file does not load back: \(error)")
        }
    }

    /// Whether the sound bounds of `Bounds` (interval, then linear relaxation with slope
    /// optimisation) prove every case of `specification` unreachable.
    static func provedSafe(_ network: Network, _ specification: Specification) -> Bool {
        let analyzer = BoundsAnalyzer()
        for specificationCase in specification.cases {
            guard let results = try? analyzer.analyze(specificationCase, of: network, methods: [.interval, .linear],
                                                      stopAtFirstProof: true),
                  results.last?.isProved == true else { return false }
        }
        return true
    }

    /// The float64 and float32 margins of the planted point against the case of `target`, or
    /// nil unless the point is a counterexample in both precisions exactly.
    static func plantedMargins(_ network: Network, _ property: RobustnessProperty, point: [Double],
                               target: Int) -> (float64: Double, float32: Double)? {
        guard let caseIndex = property.targets.firstIndex(of: target),
              let check = try? CounterexampleCheck(network: network, specification: property.specification),
              let measured = try? check.assess(point, caseIndex: caseIndex),
              measured.isValid, measured.holdsInFloat32 else { return nil }
        return (measured.marginDouble, measured.marginFloat)
    }

    /// A random box centre in `[−0.8, 0.8]ⁿ` on the quantisation grid.
    static func randomCentre(_ n: Int, rng: inout SplitMix64) -> [Double] {
        (0..<n).map { _ in quantize(rng.nextDouble(in: -0.8, 0.8)) }
    }

    /// The box `centre ± radius` (both on the grid, so the bounds are float32 numbers).
    static func box(_ centre: [Double], radius: Double) -> (lower: [Double], upper: [Double]) {
        (centre.map { $0 - radius }, centre.map { $0 + radius })
    }

    /// Whether two boxes are apart by at least `gap` along one of the inputs `dimensions`.
    static func areApart(_ a: (lower: [Double], upper: [Double]), _ b: (lower: [Double], upper: [Double]),
                         along dimensions: [Int], gap: Double) -> Bool {
        dimensions.contains { a.lower[$0] - b.upper[$0] >= gap || b.lower[$0] - a.upper[$0] >= gap }
    }

    /// The index of the largest entry and whether it is strictly the largest.
    static func topClass(_ scores: [Double]) -> (index: Int, isStrict: Bool) {
        var best = 0
        for j in scores.indices where scores[j] > scores[best] { best = j }
        return (best, scores.indices.allSatisfy { $0 == best || scores[$0] < scores[best] })
    }

    /// A point of the box at the given kind of place, on the grid and inside the box:
    /// `interior` (every offset within 80% of the radius), `face` (one input on a face),
    /// `near-corner` (every offset between 85% and 100%), `near-vertex` (every offset between
    /// 45% and 70%: towards a vertex, but a quarter of the radius short of it), `corner` (a
    /// vertex).
    static func placePoint(_ kind: String, lower: [Double], upper: [Double], rng: inout SplitMix64) -> [Double] {
        let n = lower.count
        let face = rng.nextInt(below: n)
        return (0..<n).map { i in
            let centre = (lower[i] + upper[i]) / 2, radius = (upper[i] - lower[i]) / 2
            let offset: Double
            switch kind {
            case "corner": offset = rng.nextSign()
            case "near-corner": offset = rng.nextSign() * rng.nextDouble(in: 0.85, 1)
            case "near-vertex": offset = rng.nextSign() * rng.nextDouble(in: 0.45, 0.7)
            case "face" where i == face: offset = rng.nextSign()
            default: offset = rng.nextDouble(in: -0.8, 0.8)
            }
            return min(max(quantize(centre + offset * radius), lower[i]), upper[i])
        }
    }

    /// Placement kinds in the order instances cycle through them.
    static let placements = ["interior", "near-corner", "face", "interior", "corner"]
}
