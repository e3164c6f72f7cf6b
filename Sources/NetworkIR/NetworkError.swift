/// Errors found when assembling a `Network` from layers.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
    /// Layer `index` expects `expected` inputs but the previous layer yields `actual`.
    case sizeMismatch(layer: Int, expected: Int, actual: Int)
    /// A weight, bias or divisor is NaN or infinite.
    case nonFiniteParameter(layer: Int)
    /// A divisor is zero.
    case zeroDivisor(layer: Int)
    /// The input shape has a non-positive dimension or too many elements.
    case invalidInputShape([Int])
    /// Layer `layer` (a sigmoid or tanh) cannot take part in the operation, e.g. a product of
    /// networks, whose layers are aligned at their ReLUs.
    case unsupportedLayer(layer: Int, kind: String)

    public var description: String {
        switch self {
        case let .sizeMismatch(layer, expected, actual):
            "layer \(layer) expects \(expected) inputs but receives \(actual)"
        case let .nonFiniteParameter(layer):
            "layer \(layer) has a NaN or infinite parameter"
        case let .zeroDivisor(layer):
            "layer \(layer) divides by zero"
        case let .invalidInputShape(shape):
            "invalid input shape \(shape)"
        case let .unsupportedLayer(layer, kind):
            "layer \(layer) is a \(kind) layer, which is not supported here"
        }
    }
}
