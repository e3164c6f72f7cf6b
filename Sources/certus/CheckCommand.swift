import ArgumentParser
import CertusKit
import FileReading
import NetworkIR
import Foundation
import ResultCodec
import Search
import Verifier

/// `certus check MODEL PROPERTY RESULT`: validates a result file's counterexample.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a result file: for sat, run its counterexample through the network and test it against the property.",
        discussion: """
        Exit status 0 when the file is a valid result (a sat witness that lies in the input region \
        and drives the float64 outputs into the unsafe set exactly, with float32 outputs within \
        1e-4 of it), 1 when the witness is \
        refuted, 2 for unreadable or malformed files. Verdicts other than sat carry no witness \
        and cannot be checked here; they are reported and accepted. With --json, one object \
        instead (docs/schema/check-output.schema.json), for errors too.
        """
    )

    @Argument(help: "The network (ONNX).") var model: String
    @Argument(help: "The property (VNN-LIB).") var property: String
    @Argument(help: "The result file to check.") var result: String
    @Flag(help: "Print one JSON object instead of the text line.") var json = false

    func run() async throws {
        let output = try await ErrorReporting.guarding { () throws -> CheckOutput in
            do {
                return try examine()
            } catch let error as InputError {
                // Reported on standard error too; with --json, standard output says so as well.
                if json {
                    print(CheckOutput(model: model, property: property, resultFile: result, status: .error,
                                      reason: error.description).json)
                }
                throw error
            }
        }
        print(json ? output.json : output.text)
        if output.status == .invalid { throw ExitCode(1) }
    }

    /// The largest result file read (a witness for a million inputs takes about 30 MB).
    static let maximumResultSize = 1 << 28

    /// Reads the three files and checks the witness.
    private func examine() throws -> CheckOutput {
        var output = CheckOutput(model: model, property: property, resultFile: result, status: .unchecked)
        let instance = try Instance.load(model: model, property: property)
        let text: String
        do {
            let data = try FileReader.contents(of: URL(fileURLWithPath: result), limit: Self.maximumResultSize)
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw InputError(description: "\(result): the result file is not UTF-8 text")
            }
            text = decoded
        } catch let FileReader.Failure.tooLarge(_, limit) {
            throw InputError(description: "\(result): the result file is larger than \(limit) bytes")
        } catch let FileReader.Failure.unreadable(reason) {
            throw InputError(description: "\(result): cannot read the result file: \(reason)")
        }
        let file: ResultFile
        do {
            file = try ResultFile.parse(text, fileName: result)
        } catch let error as ResultFileError {
            throw InputError(description: error.description)
        }
        output.result = file.word.rawValue
        guard file.word == .sat, let witness = file.witness else { return output }
        let input: [Double]
        switch witness.inputVector(count: instance.network.inputSize) {
        case let .success(vector): input = vector
        case let .failure(problem): throw InputError(description: "\(result): \(problem)")
        }
        let check: CounterexampleCheck
        let network: Network
        do {
            network = try instance.networkForEveryInput()
        } catch {
            throw InputError(description: "\(error)")
        }
        do {
            check = try CounterexampleCheck(network: network, specification: instance.specification)
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
            let outputs = network.evaluate(input)
            output.status = .invalid
            output.y = outputs
            output.reason = "the witness does not reach the unsafe set (network outputs \(outputs))"
            return output
        }
        output.status = .valid
        output.case = cex.caseIndex
        output.marginFloat64 = cex.marginDouble
        output.marginFloat32 = cex.marginFloat
        output.holdsInFloat32 = cex.holdsInFloat32
        output.y = cex.output
        if !witness.outputs.isEmpty {
            output.statedOutputDeviation = witness.outputs.map {
                abs($0.value - (cex.output.indices.contains($0.key) ? cex.output[$0.key] : .nan))
            }.max() ?? 0
        }
        return output
    }
}
