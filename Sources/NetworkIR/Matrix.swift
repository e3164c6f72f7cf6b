/// A dense row-major matrix of doubles.
///
/// Weights imported from float32 ONNX tensors are stored exactly (every float32 is a double).
public struct Matrix: Sendable, Equatable {
    /// Number of rows (outputs of an affine layer).
    public let rows: Int
    /// Number of columns (inputs of an affine layer).
    public let columns: Int
    /// The entries, row after row: entry (i, j) is `storage[i * columns + j]`.
    public var storage: [Double]

    /// Creates a matrix from row-major entries.
    /// - Precondition: `storage.count == rows * columns`.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(rows >= 0 && columns >= 0 && storage.count == rows * columns,
                     "Matrix storage has \(storage.count) entries for \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Creates a matrix from an array of equally long rows.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// The zero matrix.
    public static func zeros(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: Array(repeating: 0, count: rows * columns))
    }

    /// The identity matrix of size `n`.
    public static func identity(_ n: Int) -> Matrix {
        var m = zeros(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// Entry (row, column).
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> ArraySlice<Double> {
        storage[(i * columns)..<((i + 1) * columns)]
    }

    /// The transpose.
    /// - Complexity: O(rows × columns).
    public var transposed: Matrix {
        var t = Matrix.zeros(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] }
        }
        return t
    }

    /// `self · x` in double precision (round to nearest; not a sound bound by itself).
    /// - Complexity: O(rows × columns).
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "matrix-vector size mismatch")
        var y = [Double](repeating: 0, count: rows)
        storage.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { xv in
                for i in 0..<rows {
                    var sum = 0.0
                    let base = i * columns
                    for j in 0..<columns { sum += w[base + j] * xv[j] }
                    y[i] = sum
                }
            }
        }
        return y
    }

    /// `xᵀ · self`, i.e. `selfᵀ · x`, in double precision.
    /// - Complexity: O(rows × columns).
    public func transposeMultiply(_ x: [Double]) -> [Double] {
        precondition(x.count == rows, "matrix-vector size mismatch")
        var y = [Double](repeating: 0, count: columns)
        storage.withUnsafeBufferPointer { w in
            y.withUnsafeMutableBufferPointer { yv in
                for i in 0..<rows where x[i] != 0 {
                    let xi = x[i]
                    let base = i * columns
                    for j in 0..<columns { yv[j] += xi * w[base + j] }
                }
            }
        }
        return y
    }
}
