import Crypto
import Foundation

/// The SHA-256 of a file, in lowercase hexadecimal: what binds a certificate (format version 2)
/// to the ONNX and VNN-LIB files it proves something about, so that it cannot be passed off as
/// a proof for other files.
public enum FileDigest {
    /// The digest of the file at `path`, or nil when it cannot be read.
    public static func sha256(path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // `read(upToCount:)` answers nil or empty data at the end of the file.
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            return nil
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
