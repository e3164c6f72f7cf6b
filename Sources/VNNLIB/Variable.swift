/// A VNN-LIB variable: `X_i` is the i-th input and `Y_j` the j-th output, both indices into the
/// flattened (row-major) tensor.
public enum Variable: Sendable, Hashable, Comparable, CustomStringConvertible {
    case input(Int)
    case output(Int)

    public var description: String {
        switch self {
        case let .input(i): "X_\(i)"
        case let .output(j): "Y_\(j)"
        }
    }

    public var isInput: Bool { if case .input = self { true } else { false } }
}
