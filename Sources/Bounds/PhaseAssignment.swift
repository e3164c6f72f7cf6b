import NetworkIR

/// Fixed ReLU phases for one branch-and-bound sub-problem: a map from (index of a ReLU layer in
/// `Network.layers`, neuron) to its phase.
///
/// Stored as one sorted array of packed entries (layer, neuron, phase), a few bytes a split:
/// every open node of a ReLU-split tree holds one, and tens of thousands are open at once.
public struct PhaseAssignment: Sendable, Hashable {
    /// Sorted entries `layer << 33 | neuron << 1 | (active ? 1 : 0)`.
    private var entries: [UInt64]

    /// No fixed phase: the whole input region.
    public init() { entries = [] }

    private static func key(_ layer: Int, _ neuron: Int) -> UInt64 {
        precondition(layer >= 0 && neuron >= 0 && neuron < 1 << 32 && layer < 1 << 30, "phase index out of range")
        return UInt64(layer) << 33 | UInt64(neuron) << 1
    }

    /// Position of the entry for `key` (phase bit clear), or where it would go.
    private func position(of key: UInt64) -> (index: Int, found: Bool) {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid] & ~1 < key { low = mid + 1 } else { high = mid }
        }
        return (low, low < entries.count && entries[low] & ~1 == key)
    }

    /// The phase fixed for `neuron` of ReLU layer `layer`, or nil when free.
    public subscript(layer layer: Int, neuron neuron: Int) -> ReLUPhase? {
        get {
            let (index, found) = position(of: Self.key(layer, neuron))
            return found ? (entries[index] & 1 == 1 ? .active : .inactive) : nil
        }
        set {
            let key = Self.key(layer, neuron)
            let (index, found) = position(of: key)
            switch (newValue, found) {
            case (nil, true): entries.remove(at: index)
            case (nil, false): break
            case let (phase?, true): entries[index] = key | (phase == .active ? 1 : 0)
            case let (phase?, false): entries.insert(key | (phase == .active ? 1 : 0), at: index)
            }
        }
    }

    /// Fixes (or, with nil, frees) the phase of `neuron` in ReLU layer `layer`.
    public mutating func fix(layer: Int, neuron: Int, to phase: ReLUPhase?) {
        self[layer: layer, neuron: neuron] = phase
    }

    /// A copy with one more fixed phase.
    ///
    /// Built in a buffer of exactly the size it needs (inserting into a copy of a shared array
    /// may reserve room to grow): every open node of a ReLU-split tree holds one, and best-first
    /// trees on MNIST fc reach depths of about 80.
    public func fixing(layer: Int, neuron: Int, to phase: ReLUPhase) -> PhaseAssignment {
        let key = Self.key(layer, neuron)
        let (index, found) = position(of: key)
        var copy = PhaseAssignment()
        copy.entries.reserveCapacity(entries.count + (found ? 0 : 1))
        copy.entries.append(contentsOf: entries[..<index])
        copy.entries.append(key | (phase == .active ? 1 : 0))
        copy.entries.append(contentsOf: entries[(found ? index + 1 : index)...])
        return copy
    }

    /// Every fixed phase in (layer, neuron) order.
    private var decoded: [(layer: Int, neuron: Int, phase: ReLUPhase)] {
        entries.map { (Int($0 >> 33), Int($0 >> 1 & 0xFFFF_FFFF), $0 & 1 == 1 ? .active : .inactive) }
    }

    /// The fixed phases of layer `layer`, by neuron.
    public func phases(inLayer layer: Int) -> [Int: ReLUPhase] {
        var result: [Int: ReLUPhase] = [:]
        let first = position(of: Self.key(layer, 0)).index
        for entry in entries[first...] {
            guard Int(entry >> 33) == layer else { break }
            result[Int(entry >> 1 & 0xFFFF_FFFF)] = entry & 1 == 1 ? .active : .inactive
        }
        return result
    }

    /// A fixed phase read as the constraint `sign · z ≥ 0` on the neuron's pre-activation `z`.
    struct SplitConstraint: Sendable, Equatable {
        var layer: Int
        var neuron: Int
        /// +1 for active (`z ≥ 0`), −1 for inactive (`z ≤ 0`).
        var sign: Double
    }

    /// Every fixed phase as a constraint, by layer and neuron (a deterministic order).
    var splitConstraints: [SplitConstraint] {
        decoded.map { SplitConstraint(layer: $0.layer, neuron: $0.neuron, sign: $0.phase == .active ? 1 : -1) }
    }

    /// True when nothing is fixed.
    public var isEmpty: Bool { entries.isEmpty }

    /// The lowest layer with a fixed phase, or nil when nothing is fixed.
    public var firstLayer: Int? { entries.first.map { Int($0 >> 33) } }

    /// The number of fixed neurons.
    public var count: Int { entries.count }

    /// Checks that every fixed neuron exists and sits in a ReLU layer of `network`.
    /// - Throws: `BoundsError.invalidPhase` naming the first bad entry.
    public func validate(for network: Network) throws {
        var byLayer: [Int: [Int]] = [:]
        for entry in decoded { byLayer[entry.layer, default: []].append(entry.neuron) }
        for (layer, neurons) in byLayer.sorted(by: { $0.key < $1.key }) {
            guard network.layers.indices.contains(layer) else {
                throw BoundsError.invalidPhase(layer: layer, neuron: neurons.min() ?? 0, reason: "the network has \(network.layers.count) layers")
            }
            guard case .relu = network.layers[layer] else {
                throw BoundsError.invalidPhase(layer: layer, neuron: neurons.min() ?? 0,
                                               reason: "layer \(layer) is \(network.layers[layer].kindName), not relu")
            }
            if let bad = neurons.sorted().first(where: { $0 >= network.layerSizes[layer] }) {
                throw BoundsError.invalidPhase(layer: layer, neuron: bad, reason: "layer \(layer) has \(network.layerSizes[layer]) neurons")
            }
        }
    }
}
