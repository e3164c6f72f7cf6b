/// The counterexample a verifier states with a `sat` answer: values for `X_i` and, usually,
/// `Y_j`, as in `((X_0 v) … (Y_0 v) …)`.
public struct Witness: Sendable, Equatable, Codable {
    /// Stated inputs by index.
    public var inputs: [Int: Double]
    /// Stated outputs by index (may be empty).
    public var outputs: [Int: Double]

    public init(inputs: [Int: Double], outputs: [Int: Double] = [:]) {
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The inputs as a dense vector of `count` values, or a reason why they are not one.
    public func inputVector(count: Int) -> Result<[Double], WitnessProblem> {
        if let extra = inputs.keys.sorted().first(where: { $0 >= count }) {
            return .failure(WitnessProblem("X_\(extra) is beyond the network's \(count) inputs"))
        }
        var vector: [Double] = []
        vector.reserveCapacity(count)
        for i in 0..<count {
            guard let value = inputs[i] else { return .failure(WitnessProblem("no value for X_\(i)")) }
            vector.append(value)
        }
        return .success(vector)
    }
}

/// Why a witness cannot be used.
public struct WitnessProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
