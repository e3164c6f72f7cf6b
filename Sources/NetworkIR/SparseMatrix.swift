/// A sparse matrix in compressed-row form: for each row, its nonzero entries in increasing
/// column order.
///
/// Convolutions are stored this way when their dense lowering would be large: a convolution's
/// row reads only `channels × kernel` inputs, so a 12,800 × 7,200 layer with a 10 × 5 kernel
/// holds 0.7 % nonzeros. Every pass that runs on such layers iterates over the nonzeros only;
/// the entries are the network's stored values, never recomputed.
public struct SparseMatrix: Sendable, Equatable {
    /// Number of rows (outputs of an affine layer).
    public let rows: Int
    /// Number of columns (inputs of an affine layer).
    public let columns: Int
    /// Row `i`'s entries are `values[rowStart[i]..<rowStart[i + 1]]`; `rowStart.count == rows + 1`.
    public let rowStart: [Int]
    /// The column of each stored entry.
    public let columnIndex: [Int32]
    /// The stored entries (nonzero by construction).
    public let values: [Double]

    /// Creates a matrix from its compressed rows.
    /// - Precondition: the arrays describe `rows` rows with increasing column indices below `columns`.
    public init(rows: Int, columns: Int, rowStart: [Int], columnIndex: [Int32], values: [Double]) {
        precondition(rows >= 0 && columns >= 0 && columns <= Int(Int32.max), "sparse matrix of size \(rows)x\(columns)")
        precondition(rowStart.count == rows + 1 && rowStart.first == 0 && rowStart.last == values.count
                     && columnIndex.count == values.count, "inconsistent compressed rows")
        for i in 0..<rows {
            precondition(rowStart[i] <= rowStart[i + 1], "row \(i) ends before it starts")
            var previous = -1
            for k in rowStart[i]..<rowStart[i + 1] {
                let j = Int(columnIndex[k])
                precondition(j > previous && j < columns, "row \(i): column \(j) out of order or range")
                previous = j
            }
        }
        self.rows = rows
        self.columns = columns
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.values = values
    }

    /// The nonzero entries of `dense`.
    public init(_ dense: Matrix) {
        var rowStart = [0]
        var columnIndex: [Int32] = []
        var values: [Double] = []
        rowStart.reserveCapacity(dense.rows + 1)
        for i in 0..<dense.rows {
            let base = i * dense.columns
            for j in 0..<dense.columns where dense.storage[base + j] != 0 {
                columnIndex.append(Int32(j))
                values.append(dense.storage[base + j])
            }
            rowStart.append(values.count)
        }
        self.init(rows: dense.rows, columns: dense.columns, rowStart: rowStart, columnIndex: columnIndex, values: values)
    }

    /// Calls `body(column, entry)` for the stored entries of row `i`, in column order.
    @inlinable @inline(__always)
    public func forEachEntry(inRow i: Int, _ body: (Int, Double) throws -> Void) rethrows {
        for k in rowStart[i]..<rowStart[i + 1] { try body(Int(columnIndex[k]), values[k]) }
    }

    /// The number of stored entries.
    public var nonzeroCount: Int { values.count }

    /// The dense form.
    /// - Complexity: O(rows × columns).
    public var densified: Matrix {
        var m = Matrix.zeros(rows: rows, columns: columns)
        for i in 0..<rows {
            for k in rowStart[i]..<rowStart[i + 1] { m.storage[i * columns + Int(columnIndex[k])] = values[k] }
        }
        return m
    }

    /// `out (R×n) = a (R×m) · self`, a row-major batch of `rows` row vectors times the matrix;
    /// zero coefficients of `a` are skipped (so `transposeMultiply` is the one-row case).
    /// - Complexity: O(R × m + R × nonzeros).
    public func leftMultiply(_ a: UnsafePointer<Double>, rows: Int, into out: UnsafeMutablePointer<Double>) {
        let m = self.rows, n = columns
        out.update(repeating: 0, count: rows &* n)
        rowStart.withUnsafeBufferPointer { start in
        columnIndex.withUnsafeBufferPointer { col in
        values.withUnsafeBufferPointer { val in
            for r in 0..<rows {
                let input = a + r &* m, output = out + r &* n
                for i in 0..<m {
                    let c = input[i]
                    if c == 0 { continue }
                    for k in start[i]..<start[i &+ 1] { output[Int(col[k])] += c * val[k] }
                }
            }
        }}}
    }

    /// `out (R×m) = x (R×n) · selfᵀ`: each output is the dot product of a row of `x` with a row of
    /// the matrix, its products summed from 0 in column order (so `multiply` is the one-row case,
    /// and it equals the dense product for finite `x`).
    /// - Complexity: O(R × nonzeros).
    public func multiplyRows(_ x: UnsafePointer<Double>, rows: Int, into out: UnsafeMutablePointer<Double>) {
        let m = self.rows, n = columns
        rowStart.withUnsafeBufferPointer { start in
        columnIndex.withUnsafeBufferPointer { col in
        values.withUnsafeBufferPointer { val in
            for r in 0..<rows {
                let input = x + r &* n, output = out + r &* m
                for i in 0..<m {
                    var sum = 0.0
                    for k in start[i]..<start[i &+ 1] { sum += input[Int(col[k])] * val[k] }
                    output[i] = sum
                }
            }
        }}}
    }

    /// `self · x` in double precision (round to nearest).
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "matrix-vector size mismatch")
        return [Double](unsafeUninitializedCapacity: rows) { y, count in
            x.withUnsafeBufferPointer { xv in
                if let xp = xv.baseAddress, let yp = y.baseAddress { multiplyRows(xp, rows: 1, into: yp) }
                else if let yp = y.baseAddress { yp.update(repeating: 0, count: rows) }
            }
            count = rows
        }
    }

    /// `selfᵀ · x` in double precision (rows with `x[i] = 0` skipped, as
    /// `Matrix.transposeMultiply` does).
    public func transposeMultiply(_ x: [Double]) -> [Double] {
        precondition(x.count == rows, "matrix-vector size mismatch")
        return [Double](unsafeUninitializedCapacity: columns) { y, count in
            x.withUnsafeBufferPointer { xv in
                if let xp = xv.baseAddress, let yp = y.baseAddress { leftMultiply(xp, rows: 1, into: yp) }
                else if let yp = y.baseAddress { yp.update(repeating: 0, count: columns) }
            }
            count = columns
        }
    }
}
