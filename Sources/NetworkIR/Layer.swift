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

    /// A short name for messages and reports.
    public var kindName: String {
        switch self {
        case .affine: "affine"
        case .divide: "divide"
        case .relu: "relu"
        }
    }
}
