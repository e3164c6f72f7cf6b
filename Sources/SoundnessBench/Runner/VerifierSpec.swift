import Foundation

/// A verifier the runner drives: a name and how to call it.
///
/// - A command template, run by `/bin/sh -c` after substituting the placeholders `{onnx}`,
///   `{vnnlib}`, `{result}`, `{timeout}` and `{proof}` with shell-quoted values; `{onnx}` or
///   `{vnnlib}` must appear. Without `{result}`, the command's standard output is taken as the
///   result file (so `certus verify {onnx} {vnnlib} --timeout {timeout}` works as is). With
///   `{proof}` (a path where the verifier writes a proof certificate, as Certus's `--proof`
///   does), every `unsat` answer's certificate is checked (`CertificateCheck`).
/// - A VNN-COMP tool folder holding `prepare_instance.sh` and `run_instance.sh`, called as the
///   competition does: `prepare_instance.sh v1 CATEGORY ONNX VNNLIB`, then
///   `run_instance.sh v1 CATEGORY ONNX VNNLIB RESULT_FILE TIMEOUT` (VNN-COMP's tool interface).
public struct VerifierSpec: Sendable, Hashable, Codable {
    /// How the verifier is called.
    public enum Invocation: Sendable, Hashable, Codable {
        case template(String)
        case vnncompScripts(directory: String)
    }

    /// The verifier's name in reports and file names.
    public var name: String
    public var invocation: Invocation

    /// The placeholders a template may use.
    public static let placeholders: Set<String> = ["onnx", "vnnlib", "result", "timeout", "proof"]

    /// Creates a spec after checking it.
    /// - Throws: `SoundnessBenchError.invalidVerifier` for a bad name or template.
    public init(name: String, invocation: Invocation) throws {
        let spec = "\(name)=…"
        guard !name.isEmpty, name.count <= 64,
              name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }),
              name.unicodeScalars.allSatisfy(\.isASCII), !name.hasPrefix(".") else {
            throw SoundnessBenchError.invalidVerifier(spec: spec, reason: "the name must be 1–64 ASCII letters, digits, '.', '_' or '-'")
        }
        switch invocation {
        case let .template(template):
            let used = try Self.placeholders(in: template, spec: spec)
            guard used.contains("onnx") || used.contains("vnnlib") else {
                throw SoundnessBenchError.invalidVerifier(spec: spec, reason: "the command template uses neither {onnx} nor {vnnlib}, so it never sees the instance")
            }
        case let .vnncompScripts(directory):
            for script in ["prepare_instance.sh", "run_instance.sh"] {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(script).path
                guard FileManager.default.isExecutableFile(atPath: path) else {
                    throw SoundnessBenchError.invalidVerifier(spec: "\(name)=\(directory)",
                                                              reason: "\(path) is missing or not executable")
                }
            }
        }
        self.name = name
        self.invocation = invocation
    }

    /// Reads `NAME=COMMAND_TEMPLATE`.
    /// - Throws: `SoundnessBenchError.invalidVerifier`.
    public static func parse(template text: String) throws -> VerifierSpec {
        guard let equals = text.firstIndex(of: "=") else {
            throw SoundnessBenchError.invalidVerifier(spec: text, reason: "expected NAME=COMMAND_TEMPLATE")
        }
        let name = String(text[..<equals]), command = String(text[text.index(after: equals)...])
        guard !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SoundnessBenchError.invalidVerifier(spec: text, reason: "the command template is empty")
        }
        return try VerifierSpec(name: name, invocation: .template(command))
    }

    /// Reads `[NAME=]DIRECTORY` for a VNN-COMP tool folder; the name defaults to the folder's.
    /// - Throws: `SoundnessBenchError.invalidVerifier`.
    public static func parse(scripts text: String) throws -> VerifierSpec {
        var name = "", directory = text
        if let equals = text.firstIndex(of: "="), !text[..<equals].contains("/") {
            name = String(text[..<equals])
            directory = String(text[text.index(after: equals)...])
        }
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        if name.isEmpty {
            name = url.lastPathComponent
            if name == "vnncomp" { name = url.deletingLastPathComponent().lastPathComponent }
        }
        guard FileIO.isDirectory(url) else {
            throw SoundnessBenchError.invalidVerifier(spec: text, reason: "\(url.path) is not a folder")
        }
        return try VerifierSpec(name: name, invocation: .vnncompScripts(directory: url.path))
    }

    /// The placeholders `template` uses.
    /// - Throws: `.invalidVerifier` for an unknown or unclosed placeholder.
    static func placeholders(in template: String, spec: String) throws -> Set<String> {
        var used = Set<String>()
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw SoundnessBenchError.invalidVerifier(spec: spec, reason: "unclosed '{' in the command template")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard placeholders.contains(name) else {
                throw SoundnessBenchError.invalidVerifier(
                    spec: spec, reason: "unknown placeholder {\(name)}; use {onnx}, {vnnlib}, {result}, {timeout}, {proof}")
            }
            used.insert(name)
            rest = rest[rest.index(after: close)...]
        }
        return used
    }

    /// Whether the template writes a result file (else standard output is the result).
    public var writesResultFile: Bool {
        switch invocation {
        case let .template(t): (try? Self.placeholders(in: t, spec: name))?.contains("result") ?? false
        case .vnncompScripts: true
        }
    }

    /// Whether the template asks for a proof certificate (`{proof}`).
    public var writesCertificates: Bool {
        if case let .template(t) = invocation { return (try? Self.placeholders(in: t, spec: name))?.contains("proof") ?? false }
        return false
    }

    /// The shell command for one instance (template form).
    public static func command(_ template: String, onnx: String, vnnlib: String, result: String, timeout: Double,
                               proof: String = "") -> String {
        let values = ["onnx": onnx, "vnnlib": vnnlib, "result": result, "timeout": timeoutText(timeout), "proof": proof]
        var output = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            output += values[name].map(shellQuote) ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }

    /// A timeout as VNN-COMP scripts expect it: an integer when whole (`60`), else a decimal.
    public static func timeoutText(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : "\(seconds)"
    }

    /// `text` quoted for `/bin/sh` (single quotes; an embedded quote becomes `'\''`).
    public static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
