import Foundation
import TestSupport

/// The onnxruntime outputs recorded by `scripts/make_onnx_fixtures.py` in
/// `Tests/Fixtures/onnx/reference-outputs.json`.
struct ReferenceOutputs: Decodable {
    /// One input and the output onnxruntime computed for it, both flattened row-major.
    struct Case: Decodable {
        let input: [Double]
        let output: [Double]
    }

    /// The cases of one model; `model` is a fixture file name or a path under `vnncomp2021`.
    struct Model: Decodable {
        let model: String
        let cases: [Case]
    }

    let onnxruntime: String
    let fixtures: [Model]
    let benchmarks: [Model]

    /// Reads the committed reference file.
    static func load() throws -> ReferenceOutputs {
        let data = try Data(contentsOf: Fixtures.url("onnx/reference-outputs.json"))
        return try JSONDecoder().decode(ReferenceOutputs.self, from: data)
    }

    /// The largest deviation of `actual` from `expected`, relative to `‖expected‖∞` (the
    /// measure VNN-COMP uses to compare a network's outputs).
    static func relativeError(_ actual: [Double], _ expected: [Double]) -> Double {
        let scale = max(expected.map(\.magnitude).max() ?? 0, .leastNormalMagnitude)
        return zip(actual, expected).map { ($0 - $1).magnitude }.max().map { $0 / scale } ?? 0
    }
}
