import NetworkIR
import VNNLIB

/// The mutable state of one `ManipulationSearch.run`: recursive block splitting with pruning,
/// point enumeration, hit handling, budgets and progress.
struct ManipulationSearchRun {
    let search: ManipulationSearch
    let options: ManipulationSearch.Options
    let plans: [ManipulationSearch.Plan]
    let progress: (@Sendable (ManipulationSearch.Progress) -> Void)?
    let started = ContinuousClock.now
    var lastProgress = ContinuousClock.now

    var details: SearchReport.Details
    var evaluated = 0
    var cellsPruned = 0
    var found: Counterexample?
    /// The plan being searched.
    var current = 0
    var evaluator: ForwardEvaluator
    var polishAttempts = 0

    init(search: ManipulationSearch, options: ManipulationSearch.Options, plans: [ManipulationSearch.Plan],
         progress: (@Sendable (ManipulationSearch.Progress) -> Void)?) {
        self.search = search
        self.options = options
        self.plans = plans
        self.progress = progress
        evaluator = ForwardEvaluator(network: search.check.network)
        details = SearchReport.Details(layer: options.layer)
        details.grids = plans.map(\.grid)
        var points: Int? = 0
        var cells: Int? = 0
        for plan in plans {
            points = points.flatMap { p in plan.grid.pointCount.flatMap { ManipulationGrid.sum(p, $0) } }
            cells = cells.flatMap { c in plan.grid.cellCount.flatMap { ManipulationGrid.sum(c, $0) } }
        }
        details.totalPoints = points
        details.totalCells = cells
    }

    var network: Network { search.check.network }

    /// Points decided: evaluated and not left unresolved.
    var pointsChecked: Int { evaluated - details.unresolved }

    var pointsLeft: Int {
        guard let total = details.totalPoints else { return Int.max }
        return max(0, total - pointsChecked - details.pointsPruned)
    }

    mutating func execute() -> SearchReport {
        for index in plans.indices {
            current = index
            let grid = plans[index].grid
            let c = Array(repeating: 0, count: grid.dimensions.count)
            let d = grid.steps.map { 2 * $0 }
            if explore(lower: c, upper: d) { break }
        }
        details.elapsed = ContinuousClock.now - started
        details.counterexample = found
        let outcome: SearchReport.Outcome
        if found != nil {
            outcome = .counterexample
        } else if details.stopReason != nil || details.unresolved > 0 {
            outcome = .budgetExhausted
        } else {
            outcome = .noneOnGrid
        }
        let shown = plans.indices.contains(current) ? plans[current].grid : nil
        return SearchReport(
            outcome: outcome,
            grid: SearchReport.Grid(dimensions: shown?.dimensions ?? [], spans: shown?.spans ?? [], steps: shown?.steps ?? []),
            pointsChecked: pointsChecked, cellsPruned: cellsPruned, pointsLeft: pointsLeft,
            counterexample: found.map { SearchReport.Witness(x: $0.input, y: $0.output) }, details: details)
    }

    /// Whether the search must stop now (sets the stop reason).
    mutating func mustStop() -> Bool {
        if found != nil || details.stopReason != nil { return true }
        if let max = options.maxPoints, evaluated >= max { details.stopReason = "point budget"; return true }
        if evaluated % 32 == 0 {
            if Task.isCancelled { details.stopReason = "cancelled"; return true }
            let now = ContinuousClock.now
            if let deadline = options.deadline, now >= deadline { details.stopReason = "deadline"; return true }
            if let progress, now - lastProgress >= options.progressInterval {
                lastProgress = now
                progress(.init(pointsChecked: pointsChecked, cellsPruned: cellsPruned, pointsLeft: pointsLeft,
                               elapsed: now - started))
            }
        }
        return false
    }

    /// Searches the block of cells `[lower_p, upper_p)` (grid offsets) and the points it owns:
    /// offsets `[lower_p, upper_p)`, plus `upper_p` where that is the grid's last offset, so
    /// sibling blocks own disjoint points. Returns true when the search must stop.
    mutating func explore(lower: [Int], upper: [Int]) -> Bool {
        if mustStop() { return true }
        let plan = plans[current]
        let grid = plan.grid
        let owned = (0..<lower.count).map { p in upper[p] - lower[p] + (upper[p] == 2 * grid.steps[p] ? 1 : 0) }
        let ownedPoints = owned.reduce(1) { ManipulationGrid.product([$0, $1]) ?? Int.max }
        let pruningPays = !options.adaptivePruning || details.prunerCalls < 64
            || details.prunerSuccesses * 20 >= details.prunerCalls
        if let pruner = search.pruner, pruningPays, !lower.isEmpty, ownedPoints >= options.minPointsToPrune {
            var low = grid.base
            var high = grid.base
            for p in grid.dimensions.indices {
                low[grid.dimensions[p]] = grid.values[p][lower[p]]
                high[grid.dimensions[p]] = grid.values[p][upper[p]]
            }
            details.prunerCalls += 1
            let startLayer = grid.layer.map { $0 + 1 } ?? 0
            if pruner.provesSafe(startLayer: startLayer, lower: low, upper: high, caseIndices: plan.caseIndices) {
                details.prunerSuccesses += 1
                let cells = (0..<lower.count).map { upper[$0] - lower[$0] }.reduce(1) { ManipulationGrid.product([$0, $1]) ?? Int.max }
                cellsPruned = ManipulationGrid.sum(cellsPruned, cells) ?? Int.max
                details.pointsPruned = ManipulationGrid.sum(details.pointsPruned, ownedPoints) ?? Int.max
                return false
            }
            // Split the most salient dimension that still spans two cells or more.
            if let p = (0..<lower.count).first(where: { upper[$0] - lower[$0] >= 2 }) {
                let mid = (lower[p] + upper[p]) / 2
                var firstUpper = upper, secondLower = lower
                firstUpper[p] = mid
                secondLower[p] = mid
                if plan.preferredDirections[p] > 0 {
                    return explore(lower: secondLower, upper: upper) || explore(lower: lower, upper: firstUpper)
                }
                return explore(lower: lower, upper: firstUpper) || explore(lower: secondLower, upper: upper)
            }
        }
        return enumerate(lower: lower, upper: upper)
    }

    /// Evaluates every point the block owns, in mixed-radix order: most salient dimension
    /// slowest, each dimension from its preferred end. Returns true when the search must stop.
    mutating func enumerate(lower: [Int], upper: [Int]) -> Bool {
        let plan = plans[current]
        let grid = plan.grid
        let orders: [[Int]] = (0..<lower.count).map { p in
            let last = upper[p] == 2 * grid.steps[p] ? upper[p] : upper[p] - 1
            let range = Array(lower[p]...last)
            return plan.preferredDirections[p] > 0 ? range.reversed() : range
        }
        var counter = Array(repeating: 0, count: orders.count)
        while true {
            if mustStop() { return true }
            let offsets = (0..<orders.count).map { orders[$0][counter[$0]] }
            evaluate(grid.point(offsets))
            if found != nil { return true }
            // Advance the counter, last dimension fastest.
            var p = orders.count - 1
            while p >= 0 {
                counter[p] += 1
                if counter[p] < orders[p].count { break }
                counter[p] = 0
                p -= 1
            }
            if p < 0 { return false }
        }
    }

    /// Evaluates one grid point and handles any case it violates.
    mutating func evaluate(_ point: [Double]) {
        let plan = plans[current]
        evaluated += 1
        if let layer = plan.grid.layer {
            let y = evaluator.evaluate(layers: (layer + 1)..<network.layers.count, on: point)
            var undecided = false
            for caseIndex in plan.caseIndices
            where search.polisher.objectives[caseIndex].margin(input: [], output: y).value >= 0 {
                details.hiddenHits += 1
                switch realize(point, layer: layer, caseIndex: caseIndex) {
                case .counterexample: return
                case .spurious: break
                case .unresolved: undecided = true
                }
            }
            if undecided { details.unresolved += 1 }
            return
        }
        let y = evaluator.evaluate(point)
        for caseIndex in plan.caseIndices
        where search.polisher.objectives[caseIndex].margin(input: point, output: y).value >= 0 {
            if accept(point, caseIndex: caseIndex) { return }
        }
    }

    /// Validates and polishes an input (after `maxPolishAttempts`, only validates it); true
    /// when it is reported.
    mutating func accept(_ input: [Double], caseIndex: Int) -> Bool {
        let polished: Counterexample
        if polishAttempts < options.maxPolishAttempts {
            polishAttempts += 1
            guard let p = try? search.polisher.polish(input, caseIndex: caseIndex, options: options.polish,
                                                      deadline: options.deadline) else { return false }
            polished = p
        } else {
            guard let c = try? search.check.assess(input, caseIndex: caseIndex) else { return false }
            polished = c
        }
        if options.policy.accepts(polished) {
            found = polished
            return true
        }
        if polished.isValid { details.rejected += 1 }
        return false
    }

    /// What became of one violating hidden point for one case.
    enum HiddenResult { case counterexample, spurious, unresolved }

    /// Maps a violating hidden point back to an input and validates it.
    mutating func realize(_ hidden: [Double], layer: Int, caseIndex: Int) -> HiddenResult {
        guard let realizer = search.realizer else { return .unresolved }
        let region = search.check.specification.cases[caseIndex]
        switch realizer.realize(layer: layer, target: hidden, tolerance: options.realizeTolerance, region: region,
                                deadline: options.deadline) {
        case let .realized(input):
            guard input.count == network.inputSize else { return .unresolved }
            // Within the tolerance of a violating hidden point, yet perhaps not a counterexample.
            return accept(input, caseIndex: caseIndex) ? .counterexample : .unresolved
        case .spurious:
            details.spurious += 1
            return .spurious
        case .unknown:
            return .unresolved
        }
    }
}
