import Foundation

/// File reading and writing with errors that name the path.
public enum FileIO {
    /// The text of the file at `url`.
    /// - Throws: `SoundnessBenchError.missingPath` or `.unreadable`.
    public static func read(_ url: URL, role: String) throws -> String {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SoundnessBenchError.missingPath(path: url.path, role: role)
        }
        do {
            let data = try Data(contentsOf: url)
            guard let text = String(data: data, encoding: .utf8) else {
                throw SoundnessBenchError.unreadable(path: url.path, reason: "not UTF-8 text")
            }
            return text
        } catch let error as SoundnessBenchError {
            throw error
        } catch {
            throw SoundnessBenchError.unreadable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes `data` to `url` atomically (temporary file, then rename), creating folders.
    /// - Throws: `SoundnessBenchError.cannotWrite`.
    public static func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw SoundnessBenchError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes UTF-8 text to `url` atomically.
    public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }

    /// Creates the folder `url` (and parents).
    public static func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SoundnessBenchError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Whether `url` is an existing folder.
    public static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
