/// Shape arithmetic on tensor dimensions, guarded against overflow.
enum Shapes {
    /// The largest element count the importer accepts for any tensor it builds (2^31, the
    /// limit `Network` places on inputs).
    static let maximumElementCount = 1 << 31

    /// The product of `shape`, or nil when it exceeds `maximumElementCount`.
    static func elementCount(_ shape: some Sequence<Int>) -> Int? {
        guard let count = product(shape), count <= maximumElementCount else { return nil }
        return count
    }

    /// The product of `shape`, or nil when a dimension is negative or `Int` overflows.
    static func product(_ shape: some Sequence<Int>) -> Int? {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// Protobuf dimensions as `Int`s, each non-negative.
    /// - Throws: `TensorProblem.invalidDimensions`.
    static func validatedDimensions(_ dims: [Int64]) throws -> [Int] {
        try dims.map { dim in
            guard dim >= 0, let value = Int(exactly: dim) else { throw TensorProblem.invalidDimensions(dims) }
            return value
        }
    }

    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        var stride = 1
        for axis in shape.indices.reversed() {
            strides[axis] = stride
            stride *= shape[axis]
        }
        return strides
    }

    /// The NumPy-style broadcast of two shapes, or nil when they are incompatible.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let paddedA = Array(repeating: 1, count: rank - a.count) + a
        let paddedB = Array(repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (x, y) in zip(paddedA, paddedB) {
            if x == y || y == 1 {
                result.append(x)
            } else if x == 1 {
                result.append(y)
            } else {
                return nil
            }
        }
        return result
    }

    /// `values` (of shape `shape`) broadcast to `target`, in row-major order.
    /// - Precondition: `broadcast(shape, target) == target`.
    static func expand(_ values: [Double], from shape: [Int], to target: [Int]) -> [Double] {
        let padded = Array(repeating: 1, count: target.count - shape.count) + shape
        let sourceStrides = Shapes.strides(padded)
        let count = elementCount(target) ?? 0
        var result = [Double]()
        result.reserveCapacity(count)
        var index = Array(repeating: 0, count: target.count)
        for _ in 0..<count {
            var offset = 0
            for axis in target.indices where padded[axis] != 1 { offset += index[axis] * sourceStrides[axis] }
            result.append(values[offset])
            var axis = target.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < target[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// For a transpose of `shape` by `perm`, the source flat index of every result element.
    static func transposeSource(_ shape: [Int], perm: [Int]) -> [Int] {
        let inputStrides = strides(shape)
        let outputShape = perm.map { shape[$0] }
        let count = elementCount(shape) ?? 0
        var source = [Int]()
        source.reserveCapacity(count)
        var index = Array(repeating: 0, count: outputShape.count)
        for _ in 0..<count {
            var offset = 0
            for (axis, inputAxis) in perm.enumerated() { offset += index[axis] * inputStrides[inputAxis] }
            source.append(offset)
            var axis = outputShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < outputShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return source
    }

    /// `[1, 5]`-style text for messages.
    static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
