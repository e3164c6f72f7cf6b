import CertusKit
import ArgumentParser
import Certify
import Foundation

/// `certus certify MODEL PROPERTY PROOF`: checks a proof certificate written by
/// `certus verify --proof` with the independent exact checker (`Certify`).
struct CertifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Check a proof certificate of an unsat answer, in exact arithmetic, independently of the verifier.",
        discussion: """
        Prints `valid` when the certificate proves that no input of the property's region reaches
        its unsafe set, else `invalid: ` and the first record that fails. Counts go to standard
        error. Exit status: 0 valid, 1 invalid, 2 bad input (unreadable files, a file that is not
        a certificate, a network the checker does not handle). Z3 leaves are re-decided by the
        z3 binary, and also by cvc5 when it is installed; the format is in docs/CERTIFICATES.md.
        """
    )

    @Argument(help: "The network (ONNX).") var model: String
    @Argument(help: "The property (VNN-LIB 1.0).") var property: String
    @Argument(help: "The certificate (from certus verify --proof).") var proof: String
    @Option(help: "Time limit in seconds of each external solver run on one Z3 leaf.") var solverTimeout: Int = 120
    @Flag(help: "Do not ask cvc5 to confirm Z3 leaves even when it is installed.") var noSecondSolver = false
    @Option(help: "Threads for recomputing a node's bounds (default: number of cores); the answer does not depend on it.") var jobs: Int?

    func validate() throws {
        if solverTimeout < 1 { throw ValidationError("--solver-timeout must be at least 1 second") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let report = try await ErrorReporting.guarding { () throws -> CertificateChecker.Report in
            let instance = try Instance.load(model: model, property: property)
            var options = CertificateChecker.Options()
            options.solverTimeoutSeconds = solverTimeout
            options.usesSecondSolver = !noSecondSolver
            if let jobs { options.parallelism = jobs }
            // A version 2 certificate names the SHA-256 of the files it was written for.
            guard let onnx = FileDigest.sha256(path: model), let vnnlib = FileDigest.sha256(path: property) else {
                throw InputError(description: "\(model): cannot read the model and property again to fingerprint them")
            }
            options.fileDigests = (onnx, vnnlib)
            do {
                let checker = try CertificateChecker(network: instance.network, specification: instance.specification, options: options)
                return try checker.check(path: proof)
            } catch let error as CertifyError {
                throw InputError(description: error.description.hasPrefix(proof) ? error.description : "\(model): \(error.description)")
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        FileHandle.standardError.write(Data(("note: \(report.records) records, \(report.nodes) nodes, \(report.boundRefutations) bound "
            + "refutations, \(report.solverRefutations) solver refutations"
            + (report.solvers.isEmpty ? "" : " (\(report.solvers.joined(separator: ", ")))") + ", "
            + String(format: "%.3f s", seconds) + "\n").utf8))
        if let failure = report.failure {
            print("invalid: \(failure)")
            throw ExitCode(1)
        }
        print("valid")
    }
}
