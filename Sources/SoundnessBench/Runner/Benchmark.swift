import Foundation

/// A benchmark folder in VNN-COMP layout: `instances.csv` (`onnx,vnnlib,timeout`, paths
/// relative to the folder) and the files it names; for a generated benchmark also
/// `hidden/labels.csv` and the planted counterexamples `hidden/<vnnlib stem>.cex`.
public struct Benchmark: Sendable {
    /// The folder.
    public let directory: URL
    /// The instances in file order.
    public let instances: [BenchmarkInstance]
    /// Labels by instance, when `hidden/labels.csv` exists.
    public let labels: [InstanceKey: InstanceLabel]

    /// The category name VNN-COMP CSVs carry: the folder's name.
    public var category: String { directory.lastPathComponent }

    /// Reads `directory/instances.csv` and, when present, `directory/hidden/labels.csv`.
    /// - Throws: `SoundnessBenchError.missingPath` for a missing folder, list or referenced
    ///   file; `.malformedCSV` for a bad row (wrong field count, bad timeout, duplicate).
    public init(directory: URL) throws {
        guard FileIO.isDirectory(directory) else {
            throw SoundnessBenchError.missingPath(path: directory.path, role: "benchmark folder")
        }
        self.directory = directory
        let listURL = directory.appendingPathComponent("instances.csv")
        let listPath = listURL.path
        var instances: [BenchmarkInstance] = []
        var seen = Set<InstanceKey>()
        for row in try CSV.parse(try FileIO.read(listURL, role: "instance list instances.csv"), path: listPath) {
            let fields = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if row.line == 1, fields.count == 3, Double(fields[2]) == nil,
               ["onnx", "onnx_file", "onnx_path", "model"].contains(fields[0].lowercased()) { continue }  // a header
            guard fields.count == 3 else {
                throw SoundnessBenchError.malformedCSV(path: listPath, line: row.line,
                                                       reason: "expected onnx,vnnlib,timeout but found \(fields.count) fields")
            }
            guard let timeout = Double(fields[2]), timeout > 0, timeout.isFinite else {
                throw SoundnessBenchError.malformedCSV(path: listPath, line: row.line, reason: "timeout '\(fields[2])' is not a positive number")
            }
            let instance = BenchmarkInstance(onnx: InstanceKey.normalise(fields[0]), vnnlib: InstanceKey.normalise(fields[1]),
                                             timeout: timeout)
            guard seen.insert(instance.key).inserted else {
                throw SoundnessBenchError.malformedCSV(path: listPath, line: row.line, reason: "instance \(instance.key) is listed twice")
            }
            for (path, role) in [(instance.onnx, "model"), (instance.vnnlib, "property")] {
                guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path) else {
                    let hint = path.hasSuffix(".gz") ? " (compressed files are not read; gunzip them first)" : ""
                    throw SoundnessBenchError.missingPath(path: directory.appendingPathComponent(path).path,
                                                          role: "\(role) named on line \(row.line) of instances.csv\(hint)")
                }
            }
            instances.append(instance)
        }
        guard !instances.isEmpty else {
            throw SoundnessBenchError.malformedCSV(path: listPath, line: 1, reason: "no instances listed")
        }
        self.instances = instances
        self.labels = try Self.readLabels(directory.appendingPathComponent("hidden/labels.csv"))
    }

    /// Reads `labels.csv` (`onnx,vnnlib,label`); an absent file gives no labels.
    static func readLabels(_ url: URL) throws -> [InstanceKey: InstanceLabel] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        var labels: [InstanceKey: InstanceLabel] = [:]
        for row in try CSV.parse(try FileIO.read(url, role: "labels"), path: url.path) {
            let fields = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if row.line == 1, fields.first?.lowercased() == "onnx" { continue }
            guard fields.count == 3 else {
                throw SoundnessBenchError.malformedCSV(path: url.path, line: row.line, reason: "expected onnx,vnnlib,label")
            }
            guard let label = InstanceLabel(rawValue: fields[2]) else {
                throw SoundnessBenchError.malformedCSV(path: url.path, line: row.line,
                                                       reason: "label '\(fields[2])' is neither 'unverifiable' nor 'clean'")
            }
            labels[InstanceKey(onnx: fields[0], vnnlib: fields[1])] = label
        }
        return labels
    }

    /// The model file of `instance`.
    public func onnxURL(_ instance: BenchmarkInstance) -> URL { directory.appendingPathComponent(instance.onnx) }
    /// The property file of `instance`.
    public func vnnlibURL(_ instance: BenchmarkInstance) -> URL { directory.appendingPathComponent(instance.vnnlib) }

    /// The planted counterexample file of `instance` (`hidden/<vnnlib stem>.cex`), if any.
    public func plantedCounterexampleURL(_ instance: BenchmarkInstance) -> URL? {
        let stem = ((instance.vnnlib as NSString).lastPathComponent as NSString).deletingPathExtension
        let url = directory.appendingPathComponent("hidden/\(stem).cex")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
