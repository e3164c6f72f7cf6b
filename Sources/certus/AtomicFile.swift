import FileReading
import Foundation

/// Writes a file so that a reader (or a harness that kills us) sees either the complete new
/// content or no file: write to a temporary name in the same folder, then rename.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let code = errno
                try? FileManager.default.removeItem(at: temporary)
                throw InputError(description: "\(path): cannot write the result file: \(String(cString: strerror(code)).lowercased())")
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(description: "\(path): cannot write the result file: \(FileReader.reason(error))")
        }
    }
}
