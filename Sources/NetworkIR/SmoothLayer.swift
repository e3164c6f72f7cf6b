/// A layer that applies a sigmoid or tanh to its entries, except those it carries unchanged.
///
/// Why the carried entries: a graph lowered to a chain (`ONNXImport`'s `GraphLowering`) holds
/// every tensor still needed in the chain's state. A tensor read beyond a ReLU layer crosses it
/// through an exact ReLU identity; no identity crosses a sigmoid or tanh, so a skip connection
/// over one (`x + W·tanh(V·x)`) needs the layer itself to pass those entries through. In
/// chains imported from ONNX nothing is carried.
public struct SmoothLayer: Sendable, Equatable {
    /// The function applied.
    public var function: SmoothActivation
    /// Per entry, whether it passes through unchanged; empty when none does.
    public var carried: [Bool]

    /// The layer applying `function` to every entry except where `carried` is true.
    public init(_ function: SmoothActivation, carried: [Bool] = []) {
        self.function = function
        self.carried = carried.contains(true) ? carried : []
    }

    /// Whether entry `j` passes through unchanged.
    @inlinable
    public func carries(_ j: Int) -> Bool { !carried.isEmpty && carried[j] }

    /// The layer's output at entry `j` for input `x` (double precision, within
    /// `SmoothActivation.valueError` of the exact function).
    @inlinable
    public func value(_ x: Double, at j: Int) -> Double { carries(j) ? x : function.value(x) }

    /// The layer's output at entry `j` in single precision.
    @inlinable
    public func value(_ x: Float, at j: Int) -> Float { carries(j) ? x : function.value(x) }

    /// The layer applied to `x`.
    public func apply(_ x: [Double]) -> [Double] { x.indices.map { value(x[$0], at: $0) } }

    /// The layer applied to `x` in single precision.
    public func apply(_ x: [Float]) -> [Float] { x.indices.map { value(x[$0], at: $0) } }
}
