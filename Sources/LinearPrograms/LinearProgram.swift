import CClp

/// A linear program `min c·v` over columns with bounds and rows `lower ≤ a·v ≤ upper`, solved
/// by COIN-OR CLP (dual simplex), with rows added between solves (cutting planes).
///
/// Why CLP: it is the LP solver Debian ships with a C interface and pkg-config, linked the way
/// Z3 is; its handle stays inside this type. Nothing CLP returns is trusted as a bound: callers
/// turn its row duals into a sound bound themselves (Lagrangian evaluated with outward
/// rounding), so a wrong or inaccurate solve can only cost a proof, never give a wrong one.
///
/// Not thread-safe: one program per thread.
public final class LinearProgram {
    /// How a solve ended.
    public enum Status: Sendable, Equatable {
        case optimal
        case infeasible
        case unbounded
        /// The dual simplex method passed `objectiveLimit`: the duals are feasible, the primal
        /// solution is not.
        case objectiveLimitReached
        /// Stopped on a limit or a numerical difficulty.
        case stopped
    }

    private let model: UnsafeMutableRawPointer
    /// The number of columns.
    public let columnCount: Int
    /// The number of rows added so far.
    public private(set) var rowCount = 0
    /// Whether a basis exists from an earlier solve.
    private var solved = false

    /// Columns with bounds `lower ≤ v ≤ upper` (±∞ allowed) and objective `cost`, no rows.
    public init(lower: [Double], upper: [Double], cost: [Double]) {
        precondition(lower.count == upper.count && lower.count == cost.count, "column arrays of different lengths")
        model = Clp_newModel()
        columnCount = lower.count
        Clp_setLogLevel(model, 0)
        let starts = [CoinBigIndex](repeating: 0, count: lower.count + 1)
        let noIndex: [Int32] = [0]
        let noValue: [Double] = [0]
        let noRow: [Double] = [0]
        Clp_loadProblem(model, Int32(lower.count), 0, starts, noIndex, noValue,
                        lower.map(Self.clamped), upper.map(Self.clamped), cost, noRow, noRow)
    }

    deinit { Clp_deleteModel(model) }

    /// Adds rows `lower[r] ≤ Σ values[r][k]·v[columns[r][k]] ≤ upper[r]`.
    public func addRows(columns: [[Int32]], values: [[Double]], lower: [Double], upper: [Double]) {
        guard !columns.isEmpty else { return }
        var starts: [CoinBigIndex] = [0]
        starts.reserveCapacity(columns.count + 1)
        for row in columns { starts.append(starts[starts.count - 1] + CoinBigIndex(row.count)) }
        let flatColumns = columns.flatMap { $0 }
        let flatValues = values.flatMap { $0 }
        Clp_addRows(model, Int32(columns.count), lower.map(Self.clamped), upper.map(Self.clamped), starts,
                    flatColumns.isEmpty ? [0] : flatColumns, flatValues.isEmpty ? [0] : flatValues)
        rowCount += columns.count
    }

    /// Solves: the first time with CLP's initial solve (presolve, then its choice of method), later
    /// by the dual simplex method from the current basis (rows added since leave it dual feasible).
    @discardableResult
    public func solve() -> Status {
        if solved { _ = Clp_dual(model, 0) } else { _ = Clp_initialSolve(model) }
        solved = true
        switch Clp_status(model) {
        case 0: return .optimal
        // CLP's secondary status 1 with status 1: stopped at the dual objective limit.
        case 1: return Clp_secondaryStatus(model) == 1 ? .objectiveLimitReached : .infeasible
        case 2: return .unbounded
        default: return .stopped
        }
    }

    /// The status of every column, then every row, at the last solve (CLP's codes: 1 basic, 2 at
    /// upper bound, 3 at lower bound, 5 fixed, 0 free, 4 superbasic), for `start(from:)`.
    public var basis: [UInt8] {
        guard let status = Clp_statusArray(model) else { return [] }
        // The low three bits are the status; CLP keeps flags of its own above them.
        return UnsafeBufferPointer(start: status, count: columnCount + rowCount).map { $0 & 7 }
    }

    /// Makes `basis` (from `basis` of a program with the same columns and rows, whatever their
    /// coefficients and bounds) the starting point: the next `solve()` runs the dual simplex
    /// method from it instead of solving afresh. Why: a branch-and-bound child's program is its
    /// parent's with a few bounds changed, and its parent's basis is most of the way to its optimum.
    public func start(from basis: [UInt8]) {
        precondition(basis.count == columnCount + rowCount, "a basis of another program's shape")
        Clp_copyinStatus(model, basis)
        solved = true
    }

    /// The value above which the dual simplex method stops (CLP's dual objective limit; +∞ for
    /// none). Why: its objective only rises, and every step's duals are feasible, so once it
    /// passes what a caller needs, the rest of the solve would not change the caller's answer.
    public var objectiveLimit = Double.infinity {
        didSet { Clp_setDualObjectiveLimit(model, Self.clamped(objectiveLimit)) }
    }

    /// A Farkas ray of the last solve when it found the rows infeasible within the column bounds:
    /// one value per row, CLP's guess, nil when it has none. Why: an infeasible node of a
    /// branch-and-bound tree is empty only if a certificate says so; callers check this one in
    /// outward-rounded arithmetic (it may come with either sign convention) before using it.
    /// When presolve found the infeasibility (it keeps no ray), the dual simplex method runs
    /// once more from the slack basis to find one.
    public func infeasibilityRay() -> [Double]? {
        func ray() -> [Double]? {
            guard Clp_status(model) == 1, Clp_secondaryStatus(model) != 1, let ray = Clp_infeasibilityRay(model) else { return nil }
            defer { Clp_freeRay(model, ray) }
            return Array(UnsafeBufferPointer(start: ray, count: rowCount))
        }
        guard rowCount > 0, Clp_status(model) == 1, Clp_secondaryStatus(model) != 1 else { return nil }
        if let found = ray() { return found }
        _ = Clp_dual(model, 0)
        return ray()
    }

    /// Sets the bounds of one column for the next solve (the basis stays, so the dual simplex
    /// method continues from it). Why: a branching candidate's children differ from the node's
    /// program only in the bounds of the ReLU's indicator.
    public func setColumnBounds(_ column: Int, lower: Double, upper: Double) {
        precondition(column >= 0 && column < columnCount, "no such column")
        guard let lowers = Clp_columnLower(model), let uppers = Clp_columnUpper(model) else { return }
        lowers[column] = Self.clamped(lower)
        uppers[column] = Self.clamped(upper)
    }

    /// Simplex iterations of the last solve.
    public var iterations: Int { Int(Clp_numberIterations(model)) }

    /// The objective value of the last solve (CLP's floating-point value: not a bound).
    public var objectiveValue: Double { Clp_objectiveValue(model) }

    /// The column values of the last solve.
    public var primal: [Double] {
        guard let values = Clp_getColSolution(model) else { return [Double](repeating: 0, count: columnCount) }
        return Array(UnsafeBufferPointer(start: values, count: columnCount))
    }

    /// The row duals of the last solve, `∂(objective)/∂(row bound)` by CLP's convention.
    public var rowDuals: [Double] {
        guard rowCount > 0, let values = Clp_getRowPrice(model) else { return [Double](repeating: 0, count: rowCount) }
        return Array(UnsafeBufferPointer(start: values, count: rowCount))
    }

    /// CLP's infinity is a large finite number.
    private static func clamped(_ value: Double) -> Double {
        value == .infinity ? 1e30 : value == -.infinity ? -1e30 : value
    }
}
