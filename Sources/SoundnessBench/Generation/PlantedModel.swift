import Foundation

/// A finished network of the benchmark with its instances: what the writer puts on disk.
struct PlantedModel: Sendable {
    /// The network as written (float32 parameters).
    var network: LayeredNetwork
    /// The `.onnx` bytes.
    var onnx: Data
    /// The instances on this network, each with its property; `record.onnx`/`record.vnnlib`
    /// are filled in by the writer.
    var instances: [(property: RobustnessProperty, record: GeneratedInstance)]
    /// Instances that were requested but dropped, with the reason (reported, not written).
    var dropped: [String]
}
