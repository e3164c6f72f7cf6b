import Foundation

/// One line of JSON for the command line's `--json` objects: keys sorted (stable output to
/// compare and diff), slashes unescaped (paths stay readable), and non-finite numbers as the
/// strings `inf`, `-inf` and `nan`, which the schemas in docs/schema allow.
enum JSONLine {
    static func encode(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
