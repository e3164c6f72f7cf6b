/// Everything that can go wrong in the soundness bench: bad input (a missing benchmark
/// folder, a malformed CSV, a bad command template, an unreadable model) and failures to write.
/// Every message names the culprit.
public enum SoundnessBenchError: Error, Equatable, CustomStringConvertible {
    /// A model description that does not fit together.
    case invalidModel(String)
    /// A `--models` specification that cannot be read.
    case invalidModelSpec(spec: String, reason: String)
    /// An option value out of range.
    case invalidOption(name: String, reason: String)
    /// A folder or file that should exist does not.
    case missingPath(path: String, role: String)
    /// A file that cannot be read.
    case unreadable(path: String, reason: String)
    /// A file or folder that cannot be written.
    case cannotWrite(path: String, reason: String)
    /// A CSV file with a malformed row.
    case malformedCSV(path: String, line: Int, reason: String)
    /// A verifier specification `NAME=COMMAND` or its template that cannot be used.
    case invalidVerifier(spec: String, reason: String)
    /// A model or property of an instance that cannot be loaded.
    case instanceUnloadable(onnx: String, vnnlib: String, reason: String)
    /// The generator could not produce the requested instances.
    case generationFailed(model: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidModel(reason):
            "invalid model: \(reason)"
        case let .invalidModelSpec(spec, reason):
            "model spec '\(spec)': \(reason)"
        case let .invalidOption(name, reason):
            "option \(name): \(reason)"
        case let .missingPath(path, role):
            "\(path): \(role) not found"
        case let .unreadable(path, reason):
            "\(path): cannot read (\(reason))"
        case let .cannotWrite(path, reason):
            "\(path): cannot write (\(reason))"
        case let .malformedCSV(path, line, reason):
            "\(path):\(line): \(reason)"
        case let .invalidVerifier(spec, reason):
            "verifier '\(spec)': \(reason)"
        case let .instanceUnloadable(onnx, vnnlib, reason):
            "instance \(onnx) \(vnnlib): \(reason)"
        case let .generationFailed(model, reason):
            "generating \(model): \(reason)"
        }
    }
}
