/// One network family of a generated benchmark: an architecture, a way of planting
/// counterexamples, and how many instances of each kind to make on it.
///
/// Text form (`--models`), fields separated by `:`:
/// - `mlp:N:H1xH2x…:CLASSES:METHOD[:U+C]`, e.g. `mlp:10:32x32:2:pocket:5+4`;
/// - `cnn:CxHxW:CONV,CONV…:H1x…:CLASSES:pocket[:U+C]`, each `CONV` written `OUTkKsS` (output
///   channels, odd kernel size, stride; padding `K/2`), e.g. `cnn:1x8x8:4k3s1,8k3s2:32:2:pocket`.
/// `METHOD` is `pocket` (a narrow ReLU pocket built into the weights) or `trained` (a small MLP
/// trained with a second objective that forces the planted point's misclassification);
/// `U+C` is the number of instances with a planted counterexample and without one.
public struct ModelSpec: Sendable, Hashable, CustomStringConvertible {
    /// The network family.
    public enum Kind: String, Sendable, Hashable { case mlp, cnn }
    /// How counterexamples are planted.
    public enum Planting: String, Sendable, Hashable, Codable { case pocket, trained }

    /// One convolution layer: output channels, kernel size (odd), stride.
    public struct Convolution: Sendable, Hashable {
        public var channels: Int
        public var kernel: Int
        public var stride: Int
        public init(channels: Int, kernel: Int, stride: Int) {
            self.channels = channels
            self.kernel = kernel
            self.stride = stride
        }
    }

    public var kind: Kind
    /// `[n]` for an MLP, `[C, H, W]` for a CNN.
    public var inputShape: [Int]
    /// Convolutions (CNN only), each followed by a ReLU.
    public var convolutions: [Convolution]
    /// Widths of the hidden dense layers.
    public var hidden: [Int]
    /// The number of classes (outputs).
    public var classes: Int
    public var planting: Planting
    /// Instances with a planted counterexample; nil means the generator's default.
    public var unverifiable: Int?
    /// Instances without one; nil means the generator's default.
    public var clean: Int?

    public init(kind: Kind, inputShape: [Int], convolutions: [Convolution] = [], hidden: [Int], classes: Int,
                planting: Planting, unverifiable: Int? = nil, clean: Int? = nil) {
        self.kind = kind
        self.inputShape = inputShape
        self.convolutions = convolutions
        self.hidden = hidden
        self.classes = classes
        self.planting = planting
        self.unverifiable = unverifiable
        self.clean = clean
    }

    /// The number of input values.
    public var inputSize: Int { inputShape.reduce(1, *) }

    public var description: String {
        var fields = [kind.rawValue, inputShape.map(String.init).joined(separator: "x")]
        if kind == .cnn {
            fields.append(convolutions.map { "\($0.channels)k\($0.kernel)s\($0.stride)" }.joined(separator: ","))
        }
        fields += [hidden.map(String.init).joined(separator: "x"), "\(classes)", planting.rawValue]
        if let unverifiable, let clean { fields.append("\(unverifiable)+\(clean)") }
        return fields.joined(separator: ":")
    }

    /// Reads the text form.
    /// - Throws: `SoundnessBenchError.invalidModelSpec` naming the field that is wrong.
    public static func parse(_ text: String) throws -> ModelSpec {
        func fail(_ reason: String) -> SoundnessBenchError { .invalidModelSpec(spec: text, reason: reason) }
        func positive(_ field: Substring, _ what: String, max: Int) throws -> Int {
            guard let value = Int(field), value > 0 else { throw fail("\(what) '\(field)' is not a positive integer") }
            guard value <= max else { throw fail("\(what) \(value) exceeds \(max)") }
            return value
        }
        func list(_ field: Substring, _ what: String, max: Int) throws -> [Int] {
            guard !field.isEmpty else { throw fail("\(what) is empty") }
            return try field.split(separator: "x", omittingEmptySubsequences: false).map { try positive($0, what, max: max) }
        }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let first = fields.first, let kind = Kind(rawValue: String(first)) else {
            throw fail("expected 'mlp:…' or 'cnn:…'")
        }
        let expected = kind == .mlp ? 5 : 6
        guard fields.count == expected || fields.count == expected + 1 else {
            throw fail(kind == .mlp ? "expected mlp:N:H1xH2:CLASSES:METHOD[:U+C]"
                                    : "expected cnn:CxHxW:CONV,…:H1x…:CLASSES:pocket[:U+C]")
        }
        let inputShape = try list(fields[1], "input shape", max: 4096)
        guard inputShape.count == (kind == .mlp ? 1 : 3) else {
            throw fail(kind == .mlp ? "an MLP input is one size N" : "a CNN input is CxHxW")
        }
        guard inputShape.reduce(1, *) <= 4096 else { throw fail("more than 4096 inputs") }
        var next = 2
        var convolutions: [Convolution] = []
        if kind == .cnn {
            for part in fields[2].split(separator: ",", omittingEmptySubsequences: false) {
                let pieces = part.split(omittingEmptySubsequences: false) { $0 == "k" || $0 == "s" }
                guard pieces.count == 3, part.contains("k"), part.contains("s") else {
                    throw fail("convolution '\(part)' is not OUTkKsS (e.g. 8k3s1)")
                }
                let conv = Convolution(channels: try positive(pieces[0], "channels", max: 64),
                                       kernel: try positive(pieces[1], "kernel", max: 7),
                                       stride: try positive(pieces[2], "stride", max: 4))
                guard conv.kernel % 2 == 1 else { throw fail("kernel \(conv.kernel) is even; use an odd size") }
                convolutions.append(conv)
            }
            next = 3
        }
        let hidden = try list(fields[next], "hidden widths", max: 1024)
        let classes = try positive(fields[next + 1], "classes", max: 100)
        guard classes >= 2 else { throw fail("a classifier needs at least 2 classes") }
        guard let planting = Planting(rawValue: String(fields[next + 2])) else {
            throw fail("method '\(fields[next + 2])' is neither 'pocket' nor 'trained'")
        }
        if planting == .trained && kind == .cnn { throw fail("the trained method builds MLPs only; use 'pocket' for CNNs") }
        if planting == .trained && inputShape[0] < 8 {
            throw fail("the trained method needs at least 8 inputs: its planted points sit at box corners, which the attack samples")
        }
        var spec = ModelSpec(kind: kind, inputShape: inputShape, convolutions: convolutions, hidden: hidden,
                             classes: classes, planting: planting)
        if fields.count == expected + 1 {
            let counts = fields[expected].split(separator: "+", omittingEmptySubsequences: false)
            guard counts.count == 2, let u = Int(counts[0]), let c = Int(counts[1]), u >= 0, c >= 0, u + c > 0, u + c <= 64 else {
                throw fail("counts '\(fields[expected])' are not U+C (0…64 instances in all, at least one)")
            }
            spec.unverifiable = u
            spec.clean = c
        }
        return spec
    }

    /// The default mix: 15 models, MLPs of several depths and widths (2 to 50 inputs) and small
    /// CNNs (64 to 300 inputs) with pockets, and trained MLPs (10 to 20 inputs); with the default
    /// counts (`5+4`, trained `4+3`) 125 instances are requested, 70 of them with a planted
    /// counterexample (instances that fail the checks are dropped).
    public static let defaults: [ModelSpec] = [
        "mlp:2:16x16:2:pocket", "mlp:5:20x20x20:3:pocket", "mlp:8:24x24x24:2:pocket", "mlp:10:32x32:2:pocket",
        "mlp:20:50:2:pocket", "mlp:50:64x32x16:4:pocket",
        "cnn:1x8x8:4k3s1:32:2:pocket", "cnn:2x8x8:4k3s1:16x16:2:pocket", "cnn:1x10x10:4k3s1,8k3s2:32x16:2:pocket",
        "cnn:3x10x10:8k3s2:24:3:pocket",
        "mlp:10:24x24:2:trained", "mlp:12:32x32:2:trained", "mlp:10:32x32x16:2:trained", "mlp:10:20x20:3:trained",
        "mlp:20:32x32:2:trained",
    ].compactMap { try? ModelSpec.parse($0) }
}
