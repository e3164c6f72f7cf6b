import Foundation
import NetworkIR
import ONNXImport
import ResultCodec
import Search
import VNNLIB

/// Validates stated counterexamples by running the ONNX network concretely (`ONNXLoader`,
/// `Search.CounterexampleCheck`), in float64 and in float32, against the VNN-LIB property
/// (`PropertyParser`). Loaded networks and properties are cached by path.
///
/// A witness is a counterexample in float64 when its input lies in a case's exact region and
/// the float64 outputs satisfy the case's output constraints exactly (tolerance 0); in float32
/// when the same holds for the outputs of the float32 run. VNN-COMP's checker
/// (`counterexamples.py`) instead compares onnxruntime's float32 outputs with a 1e-4
/// tolerance; the margins are reported so that a reader can apply that rule too.
public struct CounterexampleValidator {
    var networks: [String: Result<Network, SoundnessBenchError>] = [:]
    var checks: [InstanceKey: Result<CounterexampleCheck, SoundnessBenchError>] = [:]

    public init() {}

    /// The concrete check for a model and property, loading and caching both.
    /// - Returns: the check, or the reason the files cannot be used.
    public mutating func check(onnx: URL, vnnlib: URL) -> Result<CounterexampleCheck, SoundnessBenchError> {
        let key = InstanceKey(onnx: onnx.path, vnnlib: vnnlib.path)
        if let cached = checks[key] { return cached }
        let result: Result<CounterexampleCheck, SoundnessBenchError>
        switch network(onnx) {
        case let .failure(error):
            result = .failure(error)
        case let .success(network):
            do {
                let specification = try PropertyParser.parse(contentsOf: vnnlib)
                result = .success(try CounterexampleCheck(network: network, specification: specification))
            } catch {
                result = .failure(.instanceUnloadable(onnx: onnx.lastPathComponent, vnnlib: vnnlib.lastPathComponent,
                                                      reason: "\(error)"))
            }
        }
        checks[key] = result
        return result
    }

    mutating func network(_ url: URL) -> Result<Network, SoundnessBenchError> {
        if let cached = networks[url.path] { return cached }
        let result: Result<Network, SoundnessBenchError>
        do {
            result = .success(try ONNXLoader.load(contentsOf: url))
        } catch {
            result = .failure(.instanceUnloadable(onnx: url.lastPathComponent, vnnlib: "-", reason: "\(error)"))
        }
        networks[url.path] = result
        return result
    }

    /// Validates a witness for the instance `onnx`/`vnnlib`.
    /// - Parameter problem: why the witness could not be read, when `witness` is nil.
    public mutating func validate(_ witness: Witness?, problem: String?, onnx: URL, vnnlib: URL) -> WitnessCheck {
        guard let witness else { return .invalid(problem ?? "sat without a witness") }
        switch check(onnx: onnx, vnnlib: vnnlib) {
        case let .failure(error):
            return .invalid("cannot load the instance: \(error)")
        case let .success(check):
            return Self.validate(witness, with: check)
        }
    }

    /// ` (by up to 2.3e-09 along X_4)`: how far the input lies outside the nearest case's box,
    /// measured on the box's bounds rounded outward to doubles; empty when it is inside every
    /// box (it misses an input constraint instead).
    static func regionMiss(_ input: [Double], _ specification: Specification) -> String {
        var best: (distance: Double, index: Int)?
        for specificationCase in specification.cases {
            let lower = specificationCase.box.lowerDoubles, upper = specificationCase.box.upperDoubles
            var worst = (distance: 0.0, index: 0)
            for i in input.indices where i < lower.count {
                let miss = max(lower[i] - input[i], input[i] - upper[i], 0)
                if miss > worst.distance { worst = (miss, i) }
            }
            if best.map({ worst.distance < $0.distance }) ?? true { best = worst }
        }
        guard let best, best.distance > 0 else { return "" }
        return " (by up to \(best.distance) along X_\(best.index))"
    }

    /// Validates a witness against a prepared check.
    public static func validate(_ witness: Witness, with check: CounterexampleCheck) -> WitnessCheck {
        let input: [Double]
        switch witness.inputVector(count: check.network.inputSize) {
        case let .failure(problem): return .invalid(problem.description)
        case let .success(vector): input = vector
        }
        var measured: [Counterexample] = []
        for caseIndex in check.specification.cases.indices {
            guard let m = try? check.assess(input, caseIndex: caseIndex) else { continue }
            measured.append(m)
        }
        guard !measured.isEmpty else { return .invalid("the property has no case") }
        let float64 = measured.filter(\.isValid).max { $0.marginDouble < $1.marginDouble }
        let float32 = measured.filter(\.holdsInFloat32).max { $0.marginFloat < $1.marginFloat }
        let shown = float64 ?? float32 ?? measured.filter(\.isInRegion).max { $0.worstMargin < $1.worstMargin } ?? measured[0]
        var deviation: Double?
        if !witness.outputs.isEmpty {
            let scale = max(1, shown.output.map(abs).max() ?? 0)
            deviation = witness.outputs.map { j, stated in
                shown.output.indices.contains(j) ? abs(stated - shown.output[j]) / scale : .infinity
            }.max()
        }
        let status: WitnessCheck.Status
        var reason: String?
        switch (float64 != nil, float32 != nil) {
        case (true, true): status = .valid
        case (true, false): status = .validFloat64Only
        case (false, true): status = .validFloat32Only
        case (false, false):
            status = .invalid
            reason = measured.contains(where: \.isInRegion)
                ? "the outputs miss the unsafe set (float64 margin \(shown.marginDouble), float32 margin \(shown.marginFloat))"
                : "the input lies outside the property's input region" + Self.regionMiss(input, check.specification)
        }
        return WitnessCheck(status: status, reason: reason, caseIndex: shown.caseIndex, marginFloat64: shown.marginDouble,
                            marginFloat32: shown.marginFloat, outputDeviation: deviation)
    }
}
