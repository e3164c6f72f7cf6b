import Foundation
import ResultCodec

extension Benchmark {
    /// Re-validates the planted counterexamples (`hidden/<vnnlib stem>.cex`) of the unverifiable
    /// instances on the benchmark's own files: true when one holds in float64 and float32.
    /// Instances without a `.cex` file are left out.
    public func validatePlanted(using validator: inout CounterexampleValidator) -> [InstanceKey: Bool] {
        var result: [InstanceKey: Bool] = [:]
        for instance in instances where labels[instance.key] == .unverifiable {
            guard let url = plantedCounterexampleURL(instance) else { continue }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                result[instance.key] = false
                continue
            }
            // The file holds the witness alone, or a whole result file starting with `sat`.
            let reading = ResultFile(reading: text)
            let parsed: Result<Witness, WitnessProblem> = reading.word == .sat && reading.isRecognised
                ? reading.witness.map { .success($0) } ?? .failure(WitnessProblem(reading.witnessProblem ?? "no witness"))
                : ResultFile.parseWitness(text)
            switch parsed {
            case let .success(witness):
                let check = validator.validate(witness, problem: nil, onnx: onnxURL(instance), vnnlib: vnnlibURL(instance))
                result[instance.key] = check.status == .valid
            case .failure:
                result[instance.key] = false
            }
        }
        return result
    }
}
