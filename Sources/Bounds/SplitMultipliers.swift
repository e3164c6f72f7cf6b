/// The split multipliers β of one objective row, by split neuron, carried from a node to its
/// children (β-CROWN's warm start).
///
/// Stored as two sorted arrays rather than a dictionary: every open node keeps one per open case
/// and atom, and on MNIST fc a tree holds tens of thousands of open nodes about 80 splits deep.
/// Keys are packed into 32 bits and β is kept in single precision (8 bytes a multiplier, where a
/// dictionary entry of `Int: Double` costs several times that): β is only a starting point (any
/// β ≥ 0 gives a sound bound), so a multiplier whose neuron does not fit the packing is dropped.
public struct SplitMultipliers: Sendable, Equatable {
    /// Sorted `key(layer, neuron)` of the nonzero multipliers.
    private var keys: [UInt32]
    /// β per key.
    private var betas: [Float]

    /// No multiplier: every β is 0.
    public init() { keys = []; betas = [] }

    /// The nonzero multipliers by `(layer, neuron)`.
    public init(values: [(layer: Int, neuron: Int, beta: Double)]) {
        let kept = values.compactMap { entry -> (UInt32, Float)? in
            guard entry.beta != 0, let key = Self.key(entry.layer, entry.neuron) else { return nil }
            return (key, Float(entry.beta))
        }.sorted { $0.0 < $1.0 }
        keys = kept.map(\.0)
        betas = kept.map(\.1)
    }

    /// The number of nonzero multipliers kept.
    public var count: Int { keys.count }

    /// Heap bytes held (for the tree's memory budget): the two arrays' elements and headers.
    public var byteCount: Int { keys.isEmpty ? 0 : 64 + keys.count * (MemoryLayout<UInt32>.size + MemoryLayout<Float>.size) }

    /// β of the split of `neuron` in layer `layer` (0 when absent).
    func value(layer: Int, neuron: Int) -> Double {
        guard let key = Self.key(layer, neuron) else { return 0 }
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key ? Double(betas[low]) : 0
    }

    /// `layer` in the top 8 bits, `neuron` in the low 24; nil when either does not fit.
    static func key(_ layer: Int, _ neuron: Int) -> UInt32? {
        guard (0..<256).contains(layer), (0..<(1 << 24)).contains(neuron) else { return nil }
        return UInt32(layer) << 24 | UInt32(neuron)
    }
}
