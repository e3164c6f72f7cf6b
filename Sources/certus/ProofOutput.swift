import CertusKit
import Certify
import Foundation
import Verifier

/// The `--proof FILE` of `certus verify`: opens the certificate stream before the run and, after
/// it, renames it into place for `unsat` or removes it for any other verdict.
enum ProofOutput {
    /// Opens the certificate for `instance`, read from the files `model` and `property`, whose
    /// SHA-256 digests the header records.
    static func open(_ path: String, for instance: Instance, model: String, property: String) throws -> ProofRecorder {
        guard let onnx = FileDigest.sha256(path: model), let vnnlib = FileDigest.sha256(path: property) else {
            throw InputError(description: "\(model): cannot read the model and property again to fingerprint them for the certificate")
        }
        do {
            return try ProofRecorder(path: path, caseCount: instance.specification.cases.count,
                                     inputCount: instance.network.inputSize, outputCount: instance.network.outputSize,
                                     fileDigests: (onnx, vnnlib))
        } catch {
            throw InputError(description: "\(path): cannot create the certificate file")
        }
    }

    /// Finishes or discards the certificate. An `unsat` that cannot be certified (a proof by a
    /// route certificates do not cover yet) is reported as an `error:` line, exit status 1,
    /// after the verdict has been printed.
    static func close(_ recorder: ProofRecorder?, verdict: Verdict) throws {
        guard let recorder else { return }
        guard case .holds = verdict else {
            recorder.discard()
            return
        }
        do {
            try recorder.finish()
        } catch {
            fflush(nil)
            ErrorReporting.printError("\(error)")
            fflush(nil)
            _exit(1)
        }
    }
}
