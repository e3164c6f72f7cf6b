import NetworkIR
import VNNLIB

/// Discretised manipulation search (DLV: Huang, Kwiatkowska, Wang, Wu 2017, "Safety
/// Verification of Deep Neural Networks", CAV, arXiv 1610.06940): an exhaustive search for
/// counterexamples over the grid of points reachable by ladders of atomic manipulations.
///
/// For each input region of the property: choose `K` dimensions by saliency (the gradient of
/// the case margin times the box width at the centre, or the activation magnitude, as DLV's
/// `Derivative`/`Activation` heuristics do), give each a span `s_p` and `m_p` spans each way
/// (default: `m = 1`, `s = half-width`, so the grid holds the box's corners, edge midpoints and
/// centre), and check every grid point, most salient dimensions and the gradient-preferred
/// direction first. With a `CellPruner`, the grid is split recursively (most salient dimension
/// first) and every block of cells the pruner proves safe is skipped whole. Input-layer hits
/// are validated by `CounterexampleCheck`, polished, and judged by the `ReportingPolicy`.
///
/// With `layer = k` the grid lives in the output of layer `k` instead (the region is the
/// interval image of the input box, unchosen features keep the activation of the box centre):
/// only layers `k+1…` are evaluated, and each hidden point that violates a case is handed to the
/// `HiddenPointRealizer` to be mapped back to an input (DLV's Z3 back-mapping step).
///
/// An input without a bound is given the finite range of `CaseRegion` (sampling range), so the
/// grid, and a hidden region derived from it, cover only that range there.
///
/// Guarantee: a counterexample found is concrete. "No counterexample on this grid" is not a
/// proof; it would be one only under DLV's minimality assumption (no counterexample strictly
/// between neighbouring grid points), which this search does not check. It never yields `unsat`.
public struct ManipulationSearch: Sendable {
    /// How dimensions are ranked.
    public enum Saliency: String, Sendable, Hashable, CaseIterable {
        /// `|∂ margin / ∂ x_p| · width_p` at the centre (DLV's `Derivative`).
        case gradient
        /// `|x_p|` at the centre, the activation value (DLV's `Activation`).
        case activation
    }

    /// Choices and budgets of one search.
    public struct Options: Sendable {
        /// `K`, the number of dimensions to manipulate; nil: as many as fit `maxPoints` (all
        /// of them without a budget).
        public var dimensions: Int?
        /// The span of the chosen dimensions: one value for all, or one per entry of the
        /// searched vector (indexed by dimension); nil: half the width divided by `spans`.
        public var span: [Double]?
        /// `m`, the number of spans each way from the centre.
        public var spans: Int
        /// The layer whose output is searched; nil: the network input.
        public var layer: Int?
        /// The most grid points to evaluate.
        public var maxPoints: Int?
        /// Stop at this instant.
        public var deadline: ContinuousClock.Instant?
        /// How dimensions are ranked.
        public var saliency: Saliency
        /// When a found counterexample is reported.
        public var policy: ReportingPolicy
        /// Distance (max norm) within which the realizer must reproduce a hidden point.
        public var realizeTolerance: Double
        /// Blocks owning fewer grid points than this are enumerated without asking the pruner.
        public var minPointsToPrune: Int
        /// Stop asking the pruner once it has failed on nearly every block: after 64 calls with
        /// fewer than 1 in 20 successes, a call costs more evaluations than it saves (interval
        /// bounds on deep networks rarely prove small cells). Coverage accounting is unaffected.
        public var adaptivePruning: Bool
        /// How often the progress callback is called.
        public var progressInterval: Duration
        /// Polishing of found counterexamples.
        public var polish: CounterexamplePolisher.Options
        /// At most this many hits are polished; later hits are only validated as they are.
        public var maxPolishAttempts: Int

        public init(dimensions: Int? = nil, span: [Double]? = nil, spans: Int = 1, layer: Int? = nil,
                    maxPoints: Int? = nil, deadline: ContinuousClock.Instant? = nil, saliency: Saliency = .gradient,
                    policy: ReportingPolicy = .vnncomp, realizeTolerance: Double = 1e-3, minPointsToPrune: Int = 4,
                    adaptivePruning: Bool = true, progressInterval: Duration = .seconds(2), polish: CounterexamplePolisher.Options = .init(),
                    maxPolishAttempts: Int = 32) {
            self.dimensions = dimensions
            self.span = span
            self.spans = spans
            self.layer = layer
            self.maxPoints = maxPoints
            self.deadline = deadline
            self.saliency = saliency
            self.policy = policy
            self.realizeTolerance = realizeTolerance
            self.minPointsToPrune = minPointsToPrune
            self.adaptivePruning = adaptivePruning
            self.progressInterval = progressInterval
            self.polish = polish
            self.maxPolishAttempts = maxPolishAttempts
        }
    }

    /// A snapshot for progress lines.
    public struct Progress: Sendable {
        public var pointsChecked: Int
        public var cellsPruned: Int
        public var pointsLeft: Int
        public var elapsed: Duration
    }

    /// One region's grid and the cases that share it.
    public struct Plan: Sendable {
        /// The cases over this region.
        public var caseIndices: [Int]
        /// The grid.
        public var grid: ManipulationGrid
        /// Per chosen dimension: +1 when the margin grows upward (explore upward first), −1 else.
        public var preferredDirections: [Int]
    }

    /// The concrete check.
    public let check: CounterexampleCheck
    /// Proves grid cells safe (nil: every point is evaluated).
    public let pruner: (any CellPruner)?
    /// Maps hidden points back to inputs (nil: hidden hits stay unresolved).
    public let realizer: (any HiddenPointRealizer)?
    let polisher: CounterexamplePolisher

    /// Prepares a search.
    /// - Throws: `SearchError` when network and specification do not fit together.
    public init(network: Network, specification: Specification, pruner: (any CellPruner)? = nil,
                realizer: (any HiddenPointRealizer)? = nil) throws {
        check = try CounterexampleCheck(network: network, specification: specification)
        polisher = CounterexamplePolisher(check: check)
        self.pruner = pruner
        self.realizer = realizer
    }

    /// The grids the search would visit, one per input region.
    /// - Throws: `SearchError.invalidOption` for unusable spans, dimensions or layer, or a
    ///   grid with more than `Int.max` points.
    public func plan(_ options: Options) throws -> [Plan] {
        let network = check.network
        let spec = check.specification
        guard options.spans >= 1 else { throw SearchError.invalidOption(name: "spans", reason: "must be at least 1") }
        if let k = options.dimensions, k < 0 { throw SearchError.invalidOption(name: "dims", reason: "must not be negative") }
        if let m = options.maxPoints, m < 1 { throw SearchError.invalidOption(name: "max-points", reason: "must be positive") }
        guard options.realizeTolerance >= 0 else {
            throw SearchError.invalidOption(name: "tolerance", reason: "must not be negative")
        }
        if let layer = options.layer {
            guard layer >= 0, layer < network.layers.count else {
                throw SearchError.layerOutOfRange(layer: layer, layerCount: network.layers.count)
            }
            if polisher.objectives.contains(where: \.mentionsInputs) {
                throw SearchError.invalidOption(name: "layer", reason: "the property's output constraints mention inputs, "
                                                + "which a hidden-layer point does not determine")
            }
        }
        let vectorSize = options.layer.map { network.layerSizes[$0] } ?? network.inputSize
        if let span = options.span {
            guard span.count == 1 || span.count == vectorSize else {
                throw SearchError.invalidOption(name: "span", reason: "give one value or \(vectorSize) (one per dimension), not \(span.count)")
            }
            guard span.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw SearchError.invalidOption(name: "span", reason: "spans must be positive and finite")
            }
        }
        var plans: [Plan] = []
        for group in spec.regionGroups() {
            let region = polisher.regions[group[0]]
            if region.isEmpty { continue }
            plans.append(try plan(group: group, region: region, options: options, vectorSize: vectorSize))
        }
        return plans
    }

    func plan(group: [Int], region: CaseRegion, options: Options, vectorSize: Int) throws -> Plan {
        let network = check.network
        let centre = region.project(region.centre)
        // The searched vector's range, base point and margin gradient.
        let lower: [Double], upper: [Double], base: [Double], gradients: [[Double]]
        let trace = network.evaluateTrace(centre)
        let output = trace.last ?? centre
        if let layer = options.layer {
            (lower, upper) = network.intervalImage(layers: 0..<(layer + 1), lower: region.sampleLower, upper: region.sampleUpper)
            base = trace[layer]
            gradients = group.compactMap { index in
                let objective = polisher.objectives[index]
                guard let active = objective.margin(input: centre, output: output).active else { return nil }
                let cotangent = objective.outputCotangent(active: active, input: centre, output: output).cotangent
                return network.vectorJacobianProduct(cotangent, layers: (layer + 1)..<network.layers.count, at: base)
            }
        } else {
            (lower, upper) = (region.sampleLower, region.sampleUpper)
            base = centre
            gradients = group.compactMap { index in
                let objective = polisher.objectives[index]
                guard let active = objective.margin(input: centre, output: output).active else { return nil }
                return objective.gradient(network: network, input: centre, trace: trace, output: output, active: active)
            }
        }
        let candidates = (0..<vectorSize).filter { lower[$0] < upper[$0] && lower[$0].isFinite && upper[$0].isFinite }
        func score(_ p: Int) -> Double {
            switch options.saliency {
            case .gradient: return gradients.map { abs($0[p]) }.max().map { $0 * (upper[p] - lower[p]) } ?? 0
            case .activation: return abs(base[p])
            }
        }
        let scores = Dictionary(uniqueKeysWithValues: candidates.map { ($0, score($0)) })
        let ranked = candidates.sorted { a, b in
            let (sa, sb) = (scores[a] ?? 0, scores[b] ?? 0)
            return sa != sb ? sa > sb : a < b
        }
        let perDimension = 2 * options.spans + 1
        var k = ranked.count
        if let wanted = options.dimensions {
            k = min(wanted, ranked.count)
        } else {
            let cap = options.maxPoints ?? Int.max
            k = 0
            var points = 1
            while k < ranked.count {
                let (next, overflow) = points.multipliedReportingOverflow(by: perDimension)
                if overflow || next > cap { break }
                points = next
                k += 1
            }
        }
        let dims = Array(ranked.prefix(k))
        guard ManipulationGrid.product(Array(repeating: perDimension, count: dims.count)) != nil else {
            throw SearchError.invalidOption(name: "dims", reason: "a grid over \(dims.count) dimensions with \(options.spans) "
                                            + "spans each way has more than \(Int.max) points; choose fewer dimensions")
        }
        var spans: [Double] = []
        var values: [[Double]] = []
        var centres = base
        for p in dims {
            let mid = lower[p] + (upper[p] - lower[p]) / 2
            let span: Double
            if let given = options.span { span = given.count == 1 ? given[0] : given[p] } else {
                span = (upper[p] - lower[p]) / 2 / Double(options.spans)
            }
            spans.append(span)
            let centre = options.layer == nil ? base[p] : mid
            centres[p] = centre
            values.append(ManipulationGrid.coordinates(centre: centre, span: span, steps: options.spans,
                                                       lower: lower[p], upper: upper[p]))
        }
        // Explore toward larger margin first: the sign of the best case's gradient.
        let directions = dims.map { p -> Int in
            let g = gradients.map { $0[p] }.max(by: { abs($0) < abs($1) }) ?? 0
            return g < 0 ? -1 : 1
        }
        let grid = ManipulationGrid(layer: options.layer, base: centres, dimensions: dims, spans: spans,
                                    steps: Array(repeating: options.spans, count: dims.count), values: values)
        return Plan(caseIndices: group, grid: grid, preferredDirections: directions)
    }

    /// Runs the search over every region's grid.
    /// - Parameters:
    ///   - options: choices and budgets.
    ///   - progress: called about every `options.progressInterval` on long runs.
    /// - Returns: the outcome and coverage.
    /// - Throws: `SearchError` for unusable options (see `plan`).
    /// - Complexity: at most `min(maxPoints, Σ grid points)` evaluations of the layers above the
    ///   searched one, plus pruner calls (at most one per block of ≥ `minPointsToPrune` points).
    public func run(_ options: Options, progress: (@Sendable (Progress) -> Void)? = nil) throws -> SearchReport {
        let plans = try plan(options)
        var run = ManipulationSearchRun(search: self, options: options, plans: plans, progress: progress)
        return run.execute()
    }
}
