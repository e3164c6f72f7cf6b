import Foundation

/// Reads VNN-LIB 2.0 queries (`(vnnlib-version <2.0>)` first): network declarations with
/// typed, shaped inputs, hidden nodes and outputs, `equal-to` / `isomorphic-to`, and assertions
/// over tensor elements `X[i,j]` with `==` and `!=`.
///
/// The 1.0 reader (`PropertyParser`) is untouched; `isQuery` tells the two formats apart by
/// the header. Limits are the 1.0 reader's (file size, nesting, numerals, product bits, cases)
/// plus a cap on the number of declared tensor elements.
public enum QueryParser {
    /// The versions this reader accepts (2.1 adds only the `initialized` input option).
    public static let supportedVersions = [(major: 2, minor: 0), (major: 2, minor: 1)]
    /// The most tensor elements a query may declare in all, so that a declaration such as
    /// `[100000,100000]` is an error rather than an allocation.
    public static let maximumElements = 1 << 24

    /// Whether `bytes` start (after blanks and comments) with `(vnnlib-version`.
    public static func isQuery(bytes: [UInt8]) -> Bool {
        var lexer = Lexer(bytes: bytes, fileName: "", syntax: .version2)
        guard let (open, _) = try? lexer.next(), open.kind == .leftParenthesis,
              let (head, _) = try? lexer.next(), head.kind == .symbol else { return false }
        return bytes[head.start..<head.end].elementsEqual("vnnlib-version".utf8)
    }

    /// Whether the file at `url` is a 2.0 query (false when it cannot be read).
    public static func isQuery(contentsOf url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 1 << 16) else { return false }
        return isQuery(bytes: [UInt8](head))
    }

    /// Parses the query file at `url`; messages name it by `url.relativePath`.
    /// - Throws: `VNNLIBError` for the first problem.
    public static func parse(contentsOf url: URL, limits: PropertyParser.Limits = .init()) throws -> Query {
        try parse(bytes: PropertyParser.readBytes(of: url, limits: limits), fileName: url.relativePath, limits: limits)
    }

    /// Parses query text held in memory.
    public static func parse(text: String, fileName: String, limits: PropertyParser.Limits = .init()) throws -> Query {
        try parse(bytes: Array(text.utf8), fileName: fileName, limits: limits)
    }

    /// Parses query bytes.
    /// - Throws: `VNNLIBError` for the first problem in the bytes.
    /// - Complexity: linear in the bytes (assertions are kept, not expanded; see `translate`).
    public static func parse(bytes: [UInt8], fileName: String, limits: PropertyParser.Limits = .init()) throws -> Query {
        guard bytes.count <= limits.readableFileSize else {
            throw VNNLIBError.fileTooLarge(path: fileName, size: bytes.count, limit: limits.readableFileSize)
        }
        var interpreter = QueryInterpreter(bytes: bytes, fileName: fileName, limits: limits)
        return try interpreter.run()
    }
}
