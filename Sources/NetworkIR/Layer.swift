/// One normalised operation of a network. Every pass (evaluation, bounds, encoding) switches
/// over this enum exhaustively, so a new operation cannot be added without handling it everywhere.
public enum Layer: Sendable, Equatable {
    /// `y = W·x + b`.
    case affine(AffineLayer)
    /// `y_i = x_i / d_i` element-wise, kept apart from affine layers because `1/d` is in
    /// general not representable: the exact encoder divides by the stored `d` exactly.
    case divide(divisors: [Double])
    /// `y_i = max(0, x_i)`.
    case relu
    /// `y_i = σ(x_i) = 1/(1 + e^−x_i)` or `tanh(x_i)`, except on entries the layer carries
    /// unchanged. Bounded, never encoded exactly (see `SmoothActivation`).
    case smooth(SmoothLayer)

    /// A sigmoid on every entry.
    public static let sigmoid = Layer.smooth(SmoothLayer(.sigmoid))
    /// A tanh on every entry.
    public static let tanh = Layer.smooth(SmoothLayer(.tanh))

    /// A short name for messages and reports.
    public var kindName: String {
        switch self {
        case .affine: "affine"
        case .divide: "divide"
        case .relu: "relu"
        case let .smooth(layer): layer.function.rawValue
        }
    }

    /// The smooth activation this layer applies, or nil for the exact (piecewise-linear) layers.
    public var smoothActivation: SmoothActivation? {
        switch self {
        case let .smooth(layer): layer.function
        case .affine, .divide, .relu: nil
        }
    }

    /// The smooth layer, or nil for the exact (piecewise-linear) layers.
    public var smoothLayer: SmoothLayer? {
        if case let .smooth(layer) = self { layer } else { nil }
    }
}
