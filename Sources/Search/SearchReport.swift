/// The result of a manipulation search: what was found and how much of the grid was covered.
///
/// Encodes to the JSON object of `certus search --json`:
/// `{"outcome", "grid": {"dimensions", "spans", "steps"}, "pointsChecked", "cellsPruned",
/// "pointsLeft", "counterexample": {"x", "y"} | null}`. `details` is not encoded; the text
/// rendering (`SearchReport+Text.swift`) uses it. Never a proof: see `guaranteeStatement`.
public struct SearchReport: Sendable, Equatable, Codable {
    /// How the search ended.
    public enum Outcome: String, Sendable, Equatable, Codable {
        /// A counterexample was found and validated concretely.
        case counterexample
        /// Every point of the grid was checked (or lies in a cell proved safe): none violates.
        case noneOnGrid = "none-on-grid"
        /// The point budget, the deadline or cancellation stopped the search, or some hidden
        /// points could not be mapped back; `pointsLeft` says how many points are undecided.
        case budgetExhausted = "budget-exhausted"
    }

    /// The grid, as reported.
    public struct Grid: Sendable, Equatable, Codable {
        /// The chosen dimensions (input indices, or features of the searched layer).
        public var dimensions: [Int]
        /// The span of each chosen dimension.
        public var spans: [Double]
        /// The number of spans each way of each chosen dimension.
        public var steps: [Int]

        public init(dimensions: [Int], spans: [Double], steps: [Int]) {
            self.dimensions = dimensions
            self.spans = spans
            self.steps = steps
        }
    }

    /// The counterexample, as reported.
    public struct Witness: Sendable, Equatable, Codable {
        /// The input.
        public var x: [Double]
        /// The network's float64 output on `x`.
        public var y: [Double]

        public init(x: [Double], y: [Double]) {
            self.x = x
            self.y = y
        }
    }

    /// What the JSON leaves out.
    public struct Details: Sendable, Equatable {
        /// The searched layer (nil: the input).
        public var layer: Int?
        /// The grid of every searched region (several when cases have different boxes).
        public var grids: [ManipulationGrid] = []
        /// Grid points in all regions (nil on overflow).
        public var totalPoints: Int? = 0
        /// Grid cells in all regions (nil on overflow).
        public var totalCells: Int? = 0
        /// Grid points skipped because a pruned cell contains them.
        public var pointsPruned = 0
        /// Calls to the cell pruner.
        public var prunerCalls = 0
        /// Calls that proved their block safe.
        public var prunerSuccesses = 0
        /// Hidden points whose outputs violate a case (layer search only).
        public var hiddenHits = 0
        /// Hidden hits proved unrealisable by the realizer.
        public var spurious = 0
        /// Hidden grid points with a violated case that the realizer could not decide (or no
        /// realizer was given, or the realised input was no counterexample); counted in
        /// `pointsLeft`, not in `pointsChecked`.
        public var unresolved = 0
        /// Grid points that violate in float64 but whose polished version the reporting
        /// policy rejected (float32 miss).
        public var rejected = 0
        /// Why the search stopped early, if it did ("point budget", "deadline", "cancelled").
        public var stopReason: String?
        /// Wall-clock time.
        public var elapsed: Duration = .zero
        /// The full counterexample (margins, float32 outputs).
        public var counterexample: Counterexample?

        public init(layer: Int? = nil) { self.layer = layer }
    }

    public var outcome: Outcome
    public var grid: Grid
    public var pointsChecked: Int
    public var cellsPruned: Int
    public var pointsLeft: Int
    public var counterexample: Witness?
    /// Not encoded.
    public var details: Details

    public init(outcome: Outcome, grid: Grid, pointsChecked: Int, cellsPruned: Int, pointsLeft: Int,
                counterexample: Witness?, details: Details) {
        self.outcome = outcome
        self.grid = grid
        self.pointsChecked = pointsChecked
        self.cellsPruned = cellsPruned
        self.pointsLeft = pointsLeft
        self.counterexample = counterexample
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case outcome, grid, pointsChecked, cellsPruned, pointsLeft, counterexample
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try c.decode(Outcome.self, forKey: .outcome)
        grid = try c.decode(Grid.self, forKey: .grid)
        pointsChecked = try c.decode(Int.self, forKey: .pointsChecked)
        cellsPruned = try c.decode(Int.self, forKey: .cellsPruned)
        pointsLeft = try c.decode(Int.self, forKey: .pointsLeft)
        counterexample = try c.decodeIfPresent(Witness.self, forKey: .counterexample)
        details = Details()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(grid, forKey: .grid)
        try c.encode(pointsChecked, forKey: .pointsChecked)
        try c.encode(cellsPruned, forKey: .cellsPruned)
        try c.encode(pointsLeft, forKey: .pointsLeft)
        if let counterexample { try c.encode(counterexample, forKey: .counterexample) } else {
            try c.encodeNil(forKey: .counterexample)
        }
    }
}
