import ArgumentParser
import Foundation

/// A problem with the user's files. The command prints `error: <description>` on stderr and
/// exits with status 2, as the README's Commands section documents for bad input.
struct InputError: Error, CustomStringConvertible {
    var description: String
}

/// Prints `error: …` for bad input and maps it to exit status 2; other failures exit 1.
enum ErrorReporting {
    /// Runs `body`; input errors become one `error:` line and `ExitCode(2)`.
    static func guarding<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as InputError {
            printError(error.description)
            throw ExitCode(2)
        } catch {
            printError("internal failure: \(error)")
            throw ExitCode(1)
        }
    }

    /// Writes `error: message` as one line on standard error.
    static func printError(_ message: String) {
        let line = "error: " + message.replacingOccurrences(of: "\n", with: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
