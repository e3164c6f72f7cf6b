import Foundation

/// Reads a user's input file whole, refusing one larger than a limit before reading it (a pipe
/// or device, which has no size to check in advance, is read up to the limit), and says why a
/// file cannot be read in plain words ("no such file", "permission denied", "it is a
/// directory") rather than in Foundation's error domains. Shared by the ONNX and VNN-LIB
/// readers, whose error types then name the file as the user gave it.
public enum FileReader {
    /// Why a file was not read.
    public enum Failure: Error, Equatable, Sendable {
        /// Larger than the limit: `size` bytes when known (a regular file), nil for a stream.
        case tooLarge(size: Int?, limit: Int)
        /// Missing, unreadable, a directory, …; `reason` says which in a few words.
        case unreadable(reason: String)
    }

    /// The contents of the file at `url`, at most `limit` bytes.
    /// - Throws: `Failure`.
    public static func contents(of url: URL, limit: Int) throws(Failure) -> Data {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            let type = attributes[.type] as? FileAttributeType
            if type == .typeDirectory { throw Failure.unreadable(reason: "it is a directory") }
            if type == .typeRegular {
                if let size = (attributes[.size] as? NSNumber)?.intValue, size > limit {
                    throw Failure.tooLarge(size: size, limit: limit)
                }
                return try Data(contentsOf: url)
            }
            // A pipe or a device has no size to check in advance (`/dev/zero` never ends).
            guard let data = try readStream(url, limit: limit) else { throw Failure.tooLarge(size: nil, limit: limit) }
            return data
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.unreadable(reason: reason(error))
        }
    }

    /// The whole of a stream if it ends within `limit` bytes, else nil; reads at most
    /// `limit + 1` bytes.
    private static func readStream(_ url: URL, limit: Int) throws -> Data? {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var data = Data()
        while data.count <= limit {
            guard let chunk = try handle.read(upToCount: min(1 << 20, limit + 1 - data.count)), !chunk.isEmpty else { return data }
            data.append(chunk)
        }
        return nil
    }

    /// A short reason for a Foundation file error: the POSIX wording where there is one.
    public static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))).lowercased() }
        return "the system could not read it (error \(nsError.code))"
    }
}
