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
    ///   - limits: file size, nesting depth and case count caps.
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
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let size = (attributes[.size] as? NSNumber)?.intValue, size > limits.maximumFileSize {
                throw VNNLIBError.fileTooLarge(path: path, size: size, limit: limits.maximumFileSize)
            }
            let type = attributes[.type] as? FileAttributeType
            if type == .typeDirectory {
                throw VNNLIBError.unreadableFile(path: path, reason: "it is a directory")
            }
            if type == .typeRegular {
                data = try Data(contentsOf: url)
            } else {
                // A pipe or a device has no size to check in advance (`/dev/zero` never ends).
                guard let read = try Self.readStream(url, limit: limits.maximumFileSize) else {
                    throw VNNLIBError.unreadableFile(path: path, reason: "the stream holds more than \(limits.maximumFileSize) bytes")
                }
                data = read
            }
        } catch let error as VNNLIBError {
            throw error
        } catch {
            throw VNNLIBError.unreadableFile(path: path, reason: Self.reason(error))
        }
        return [UInt8](data)
    }

    /// Parses property text held in memory.
    /// - Parameters:
    ///   - text: the VNN-LIB text.
    ///   - fileName: the name error messages use for the text.
    ///   - limits: size, nesting depth and case count caps.
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
    ///   - limits: size, nesting depth and case count caps.
    /// - Returns: the normalised property.
    /// - Throws: `VNNLIBError` for the first problem in the bytes.
    /// - Complexity: linear in the bytes, plus the size of the cases produced.
    public static func parse(bytes: [UInt8], fileName: String, limits: Limits = Limits()) throws -> Specification {
        guard bytes.count <= limits.maximumFileSize else {
            throw VNNLIBError.fileTooLarge(path: fileName, size: bytes.count, limit: limits.maximumFileSize)
        }
        var interpreter = PropertyInterpreter(bytes: bytes, fileName: fileName, limits: limits)
        return try interpreter.run()
    }

    /// The whole of a stream (a pipe, a device) if it ends within `limit` bytes, else nil;
    /// reads at most `limit + 1` bytes.
    static func readStream(_ url: URL, limit: Int) throws -> Data? {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var data = Data()
        while data.count <= limit {
            guard let chunk = try handle.read(upToCount: min(1 << 20, limit + 1 - data.count)), !chunk.isEmpty else { return data }
            data.append(chunk)
        }
        return nil
    }

    /// A short reason for a Foundation file error (no such file, permission denied, ...).
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}
