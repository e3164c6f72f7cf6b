/// One instance the generator wrote, with what it knows about it (written to
/// `hidden/provenance.json`, never next to the public files).
public struct GeneratedInstance: Sendable, Equatable, Codable {
    /// Path of the model relative to the benchmark folder (`onnx/m03.onnx`).
    public var onnx: String
    /// Path of the property relative to the benchmark folder (`vnnlib/m03_p2.vnnlib`).
    public var vnnlib: String
    public var label: InstanceLabel
    /// The model family (`ModelSpec` text form) and how counterexamples were planted.
    public var model: String
    public var planting: ModelSpec.Planting
    /// The protected class and the box radius.
    public var classLabel: Int
    public var radius: Double
    /// The planted counterexample, its target class, and the float64 and float32 margins of
    /// `Y_target − Y_label` there (both ≥ 0), measured on the written ONNX file.
    public var counterexample: [Double]?
    public var target: Int?
    public var marginFloat64: Double?
    public var marginFloat32: Double?
    /// Where the planted point sits in the box: `interior`, `face`, `near-corner`, `corner`.
    public var placement: String?
    /// The pocket, for the weight construction.
    public var pocket: Pocket?
    /// The hidden-ness attack on the final network (for every unverifiable instance and for
    /// clean instances that the bounds did not prove).
    public var attack: AttackRecord?
    /// Whether Certus's sound bounds (`Bounds`, interval then linear relaxation) prove the
    /// instance safe on the written network: for clean instances this upgrades "no
    /// counterexample planted" to "safe".
    public var provedSafe: Bool?
    /// Whether the network without the planted pocket was proved robust on the box (pocket
    /// method): then every counterexample lies in the pocket.
    public var baseProvedRobust: Bool?
}
