import ArgumentParser
import Foundation
import Search
import Verifier

/// `certus check MODEL PROPERTY RESULT`: validates a result file's counterexample.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a result file: for sat, run its counterexample through the network and test it against the property.",
        discussion: """
        Exit status 0 when the file is a valid result (a sat witness that lies in the input region
        and drives the float64 outputs into the unsafe set exactly, with float32 outputs within
        1e-4 of it), 1 when the witness is
        refuted, 2 for unreadable or malformed files. Verdicts other than sat carry no witness
        and cannot be checked here; they are reported and accepted.
        """
    )

    @Argument(help: "The network (ONNX).") var model: String
    @Argument(help: "The property (VNN-LIB).") var property: String
    @Argument(help: "The result file to check.") var result: String

    func run() async throws {
        let valid = try await ErrorReporting.guarding { () -> Bool in
            let instance = try Instance.load(model: model, property: property)
            let text: String
            do {
                text = try String(contentsOfFile: result, encoding: .utf8)
            } catch {
                throw InputError(description: "\(result): cannot read result file")
            }
            let file: ResultFile
            do {
                file = try ResultFile.parse(text, fileName: result)
            } catch let error as ResultFileError {
                throw InputError(description: error.description)
            }
            guard file.word == .sat else {
                print("\(file.word.rawValue): no counterexample to check")
                return true
            }
            let input: [Double]
            do {
                input = try file.inputVector(count: instance.network.inputSize, fileName: result)
            } catch let error as ResultFileError {
                throw InputError(description: error.description)
            }
            let check: CounterexampleCheck
            do {
                check = try CounterexampleCheck(network: instance.network, specification: instance.specification)
            } catch {
                throw InputError(description: "\(property): \(error)")
            }
            let found: Counterexample?
            do {
                found = try check.check(input)
            } catch {
                throw InputError(description: "\(result): \(error)")
            }
            guard let cex = found, ReportingPolicy.vnncomp.accepts(cex) else {
                let outputs = instance.network.evaluate(input)
                print("invalid: the witness does not reach the unsafe set (network outputs \(outputs))")
                return false
            }
            let float32 = cex.holdsInFloat32 ? "holds in float32 too" : "float32 outputs miss by at most 1e-4 (VNN-COMP tolerance)"
            var lines = ["valid: case \(cex.caseIndex), margin float64 \(cex.marginDouble), float32 \(cex.marginFloat); \(float32)"]
            if !file.outputs.isEmpty {
                let deviation = file.outputs.map { abs($0.value - (cex.output.indices.contains($0.key) ? cex.output[$0.key] : .nan)) }.max() ?? 0
                lines.append("stated outputs differ from the network's float64 outputs by at most \(deviation)")
            }
            print(lines.joined(separator: "\n"))
            return true
        }
        if !valid { throw ExitCode(1) }
    }
}
