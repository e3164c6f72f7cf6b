import Foundation

/// One row of a benchmark's `instances.csv`: a model, a property, and a timeout, with paths
/// resolved against the benchmark folder.
public struct BenchmarkInstance: Sendable, Hashable, Codable {
    /// The model path as written in `instances.csv` (relative to the benchmark folder).
    public var onnx: String
    /// The property path as written.
    public var vnnlib: String
    /// Seconds allowed.
    public var timeout: Double

    public init(onnx: String, vnnlib: String, timeout: Double) {
        self.onnx = onnx
        self.vnnlib = vnnlib
        self.timeout = timeout
    }

    /// The key instances are matched by across files: both paths without a leading `./`.
    public var key: InstanceKey { InstanceKey(onnx: onnx, vnnlib: vnnlib) }

    /// `<onnx stem>_<vnnlib stem>`, the VNN-COMP name of the instance's result files.
    public var stem: String { key.stem }
}

/// Identifies an instance by its two paths, normalised.
public struct InstanceKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var onnx: String
    public var vnnlib: String

    public init(onnx: String, vnnlib: String) {
        self.onnx = Self.normalise(onnx)
        self.vnnlib = Self.normalise(vnnlib)
    }

    /// Removes leading `./` and surrounding spaces.
    static func normalise(_ path: String) -> String {
        var p = path.trimmingCharacters(in: .whitespaces)
        while p.hasPrefix("./") { p.removeFirst(2) }
        return p
    }

    /// The file names only, for matching results written with other path prefixes.
    public var baseNames: InstanceKey {
        InstanceKey(onnx: (onnx as NSString).lastPathComponent, vnnlib: (vnnlib as NSString).lastPathComponent)
    }

    /// `<onnx stem>_<vnnlib stem>`.
    public var stem: String {
        let o = ((onnx as NSString).lastPathComponent as NSString).deletingPathExtension
        let v = ((vnnlib as NSString).lastPathComponent as NSString).deletingPathExtension
        return o + "_" + v
    }

    public var description: String { "\(onnx) \(vnnlib)" }

    public static func < (a: InstanceKey, b: InstanceKey) -> Bool { (a.onnx, a.vnnlib) < (b.onnx, b.vnnlib) }
}
