import FileReading
import Foundation

/// Reads VNN-LIB 1.0 properties as VNN-COMP (2021–2025) writes them and normalises them into a
/// `Specification`.
///
/// ```swift
/// let spec = try PropertyParser.parse(contentsOf: URL(fileURLWithPath: "prop_3.vnnlib"))
/// // spec.inputCount == 5, spec.cases.count == 1
/// ```
///
/// The grammar is the SMT-LIB 2 subset the competition uses: `(declare-const X_i Real)`,
/// `(declare-const Y_j Real)` and `(assert F)` with F built from `and`, `or`, the relations
/// `<=` `>=` `<` `>` `=` and linear terms (see `PropertyInterpreter+Assertions.swift`). Numerals
/// are read exactly (`0.1` is 1/10). The file states the *unsafe* set, so `sat` means the
/// property is violated.
public enum PropertyParser {
    /// Parses the property file at `url`.
    /// - Parameters:
    ///   - url: a file URL; error messages name it by `url.relativePath`.
    ///   - limits: file size, nesting depth and case memory caps.
    /// - Returns: the normalised property.
    /// - Throws: `VNNLIBError`: `.unreadableFile`, `.fileTooLarge`, or any error in the text.
    /// - Complexity: linear in the file, plus the size of the cases produced.
    public static func parse(contentsOf url: URL, limits: Limits = Limits()) throws -> Specification {
        try parse(bytes: readBytes(of: url, limits: limits), fileName: url.relativePath, limits: limits)
    }

    /// The bytes of the file at `url`, refused before reading when larger than the limit (a
    /// pipe or device is read up to the limit); shared by the 1.0 and 2.0 readers.
    /// - Throws: `VNNLIBError.unreadableFile` or `.fileTooLarge`, naming `url.relativePath`.
    static func readBytes(of url: URL, limits: Limits) throws -> [UInt8] {
        let path = url.relativePath
        do {
            return [UInt8](try FileReader.contents(of: url, limit: limits.readableFileSize))
        } catch let .tooLarge(size?, limit) {
            throw VNNLIBError.fileTooLarge(path: path, size: size, limit: limit)
        } catch let .tooLarge(nil, limit) {
            throw VNNLIBError.unreadableFile(path: path, reason: "the stream holds more than \(limit) bytes")
        } catch let .unreadable(reason) {
            throw VNNLIBError.unreadableFile(path: path, reason: reason)
        }
    }

    /// Parses property text held in memory.
    /// - Parameters:
    ///   - text: the VNN-LIB text.
    ///   - fileName: the name error messages use for the text.
    ///   - limits: size, nesting depth and case memory caps.
    /// - Returns: the normalised property.
    /// - Throws: `VNNLIBError` for the first problem in the text.
    /// - Complexity: linear in the text, plus the size of the cases produced.
    public static func parse(text: String, fileName: String, limits: Limits = Limits()) throws -> Specification {
        try parse(bytes: Array(text.utf8), fileName: fileName, limits: limits)
    }

    /// Parses property text given as raw bytes (UTF-8, as read from a file).
    /// - Parameters:
    ///   - bytes: the file's contents; not required to be valid UTF-8 (invalid bytes are
    ///     reported with their position).
    ///   - fileName: the name error messages use for the text.
    ///   - limits: size, nesting depth and case memory caps.
    /// - Returns: the normalised property.
    /// - Throws: `VNNLIBError` for the first problem in the bytes.
    /// - Complexity: linear in the bytes, plus the size of the cases produced.
    public static func parse(bytes: [UInt8], fileName: String, limits: Limits = Limits()) throws -> Specification {
        guard bytes.count <= limits.readableFileSize else {
            throw VNNLIBError.fileTooLarge(path: fileName, size: bytes.count, limit: limits.readableFileSize)
        }
        var interpreter = PropertyInterpreter(bytes: bytes, fileName: fileName, limits: limits)
        return try interpreter.run()
    }
}
