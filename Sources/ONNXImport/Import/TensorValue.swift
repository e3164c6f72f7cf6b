/// A decoded constant tensor: its shape and its values in row-major order.
struct TensorValue: Sendable, Equatable {
    /// The values, as read from the file.
    enum Elements: Sendable, Equatable {
        /// float32 or float64 values, each stored exactly as a Double.
        case real([Double])
        /// int64 or int32 values (shapes, axes).
        case integer([Int64])
    }

    /// The dimensions; `[]` for a scalar.
    var shape: [Int]
    /// The values; their count is the product of `shape`.
    var elements: Elements

    /// The number of elements.
    var count: Int {
        switch elements {
        case let .real(values): values.count
        case let .integer(values): values.count
        }
    }

    /// The real values.
    /// - Throws: `TensorProblem.wrongKind` for an integer tensor.
    func realValues() throws -> [Double] {
        guard case let .real(values) = elements else { throw TensorProblem.wrongKind(expected: "real") }
        return values
    }

    /// The integer values.
    /// - Throws: `TensorProblem.wrongKind` for a real tensor.
    func integerValues() throws -> [Int64] {
        guard case let .integer(values) = elements else { throw TensorProblem.wrongKind(expected: "integer") }
        return values
    }

    /// The same values under a new shape with the same element count.
    func reshaped(_ newShape: [Int]) -> TensorValue {
        TensorValue(shape: newShape, elements: elements)
    }

    /// The values reordered: element `i` of the result is element `source[i]` of `self`.
    func gathered(_ source: [Int], shape newShape: [Int]) -> TensorValue {
        switch elements {
        case let .real(values): TensorValue(shape: newShape, elements: .real(source.map { values[$0] }))
        case let .integer(values): TensorValue(shape: newShape, elements: .integer(source.map { values[$0] }))
        }
    }
}
