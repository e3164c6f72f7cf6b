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
    /// `y_i = σ(x_i) = 1/(1 + e^−x_i)`. Bounded, never encoded exactly (see `SmoothActivation`).
    case sigmoid
    /// `y_i = tanh(x_i)`. Bounded, never encoded exactly (see `SmoothActivation`).
    case tanh

    /// A short name for messages and reports.
    public var kindName: String {
        switch self {
        case .affine: "affine"
        case .divide: "divide"
        case .relu: "relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        }
    }

    /// The smooth activation this layer applies, or nil for the exact (piecewise-linear) layers.
    public var smoothActivation: SmoothActivation? {
        switch self {
        case .sigmoid: .sigmoid
        case .tanh: .tanh
        case .affine, .divide, .relu: nil
        }
    }
}
