import Certify
import Foundation
import ONNXImport
import VNNLIB

/// What checking a verifier's proof certificate of an `unsat` answer found (Certus writes them
/// with `--proof`; docs/CERTIFICATES.md). The check is the independent exact checker
/// (`Certify`), bound to the instance's files by their SHA-256.
///
/// Why: an `unsat` is otherwise checked only against the planted or another verifier's
/// counterexample, which a bench may not have; a certificate that fails to check is evidence
/// against the claim itself, so the report counts it like an unsound claim.
public struct CertificateCheck: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// The certificate proves the instance.
        case valid
        /// It does not (or it is not a certificate at all).
        case invalid
        /// The verifier was asked for one and gave none.
        case missing
    }

    public var status: Status
    /// Why it is invalid or missing.
    public var detail: String?

    public init(status: Status, detail: String? = nil) {
        self.status = status
        self.detail = detail
    }

    /// The file name of an instance's certificate next to its counterexample
    /// (`<onnx stem>_<vnnlib stem>.proof.jsonl`).
    public static func fileName(stem: String) -> String { stem + ".proof.jsonl" }

    /// Checks the certificate at `proof` against the instance's files; Z3 leaves are re-decided
    /// by the `z3` binary (and `cvc5` where installed), as `certus certify` does.
    public static func check(proof: URL, onnx: URL, vnnlib: URL) -> CertificateCheck {
        guard FileManager.default.fileExists(atPath: proof.path) else {
            return CertificateCheck(status: .missing, detail: "no certificate \(proof.lastPathComponent)")
        }
        do {
            let network = try ONNXLoader.load(contentsOf: onnx)
            let specification = try PropertyParser.parse(contentsOf: vnnlib)
            var options = CertificateChecker.Options()
            if let model = FileDigest.sha256(path: onnx.path), let property = FileDigest.sha256(path: vnnlib.path) {
                options.fileDigests = (model, property)
            }
            let report = try CertificateChecker(network: network, specification: specification, options: options)
                .check(path: proof.path)
            return report.isValid ? CertificateCheck(status: .valid) : CertificateCheck(status: .invalid, detail: report.failure)
        } catch {
            return CertificateCheck(status: .invalid, detail: "cannot be checked: \(error)")
        }
    }
}
