import Foundation
import ResultCodec

/// A verifier's results in VNN-COMP's CSV form, `category,onnx,vnnlib,prepare_time,result,run_time`
/// (no header), as the competition's scripts write and read them.
public enum ResultsCSV {
    /// One row.
    public struct Row: Sendable, Equatable {
        public var category: String
        public var onnx: String
        public var vnnlib: String
        public var prepareSeconds: Double
        /// The result word exactly as written.
        public var word: String
        public var seconds: Double

        public init(category: String, onnx: String, vnnlib: String, prepareSeconds: Double, word: String, seconds: Double) {
            self.category = category
            self.onnx = onnx
            self.vnnlib = vnnlib
            self.prepareSeconds = prepareSeconds
            self.word = word
            self.seconds = seconds
        }

        /// The normalised verdict: exact token match (`ResultWord.parse`), `.error` otherwise.
        public var verdict: ResultWord { ResultWord.parse(word: word.trimmingCharacters(in: .whitespaces)) ?? .error }
        public var key: InstanceKey { InstanceKey(onnx: onnx, vnnlib: vnnlib) }
    }

    /// The text of a results file.
    public static func text(_ rows: [Row]) -> String {
        rows.map { row in
            CSV.line([row.category, row.onnx, row.vnnlib, String(format: "%.6f", row.prepareSeconds), row.word,
                      String(format: "%.6f", row.seconds)])
        }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
    }

    /// Reads a results file (an optional header row `category,…` is skipped).
    /// - Throws: `SoundnessBenchError.malformedCSV` for a row without six fields or with times
    ///   that are not numbers.
    public static func read(_ url: URL) throws -> [Row] {
        let path = url.path
        var rows: [Row] = []
        for row in try CSV.parse(try FileIO.read(url, role: "results CSV"), path: path) {
            let f = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if row.line == 1, f.first?.lowercased() == "category" { continue }
            guard f.count == 6 else {
                throw SoundnessBenchError.malformedCSV(path: path, line: row.line,
                                                       reason: "expected category,onnx,vnnlib,prepare_time,result,run_time but found \(f.count) fields")
            }
            guard let prepare = parseTime(f[3]), let run = parseTime(f[5]) else {
                throw SoundnessBenchError.malformedCSV(path: path, line: row.line, reason: "prepare_time '\(f[3])' or run_time '\(f[5])' is not a number")
            }
            rows.append(Row(category: f[0], onnx: f[1], vnnlib: f[2], prepareSeconds: prepare, word: f[4], seconds: run))
        }
        return rows
    }

    /// A time field: a non-negative number (2021's files write `.276411791`); empty counts as 0.
    static func parseTime(_ text: String) -> Double? {
        if text.isEmpty { return 0 }
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return value
    }
}
