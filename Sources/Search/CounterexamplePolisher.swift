import NetworkIR
import VNNLIB

/// Moves a counterexample (or a point on the boundary of the unsafe set) into the interior, so
/// that it survives float32 re-evaluation.
///
/// SMT models lie exactly on the boundary (margin 0), and replayed in float32 a good share of
/// them miss by an ulp or so. Polishing is projected (sub)gradient ascent on the case's margin
/// (`MarginObjective`, the minimum slack; subgradient of the active constraint, for both the
/// float64- and the float32-active constraint) with a backtracking line search (Armijo-style
/// halving, Nocedal & Wright, "Numerical Optimization", §3.1, accepting any improvement),
/// projected onto the case's double box, plus a step toward the box centre and the input
/// rounded to float32 (so both runs see the same input). Points are ranked by
/// (in region, valid in float64, `min(marginDouble, marginFloat)`); the best one seen is kept.
/// Points that violate the case's linear input constraints are never preferred to points
/// that satisfy them, which are checked exactly.
public struct CounterexamplePolisher: Sendable {
    /// Limits of one polishing run.
    public struct Options: Sendable, Hashable {
        /// Maximal number of accepted steps.
        public var maxSteps: Int
        /// Maximal number of halvings in one line search (the first step is half the box).
        public var maxHalvings: Int
        /// Stop once a valid point has `worstMargin` at least this.
        public var targetMargin: Double

        public init(maxSteps: Int = 40, maxHalvings: Int = 50, targetMargin: Double = 1e-3) {
            self.maxSteps = maxSteps
            self.maxHalvings = maxHalvings
            self.targetMargin = targetMargin
        }
    }

    /// The concrete check used to rank points.
    public let check: CounterexampleCheck
    let objectives: [MarginObjective]
    let regions: [CaseRegion]

    /// Prepares polishing for the check's network and specification.
    public init(check: CounterexampleCheck) {
        self.check = check
        let spec = check.specification
        objectives = spec.cases.indices.map { MarginObjective(spec.cases[$0], caseIndex: $0, outputCount: spec.outputCount) }
        regions = spec.cases.indices.map { CaseRegion(spec.cases[$0], caseIndex: $0) }
    }

    /// Whether `a` ranks above `b`: in region, then valid, then larger worst margin.
    public static func ranks(_ a: Counterexample, above b: Counterexample) -> Bool {
        if a.isInRegion != b.isInRegion { return a.isInRegion }
        if a.isValid != b.isValid { return a.isValid }
        return a.worstMargin > b.worstMargin
    }

    /// Polishes `input` against case `caseIndex` and returns the best point found (never worse
    /// than `input` itself).
    /// - Parameters:
    ///   - input: a valid or boundary point.
    ///   - caseIndex: the case to move into.
    ///   - options: step limits.
    ///   - deadline: stop early at this instant.
    /// - Throws: `SearchError` for an input of the wrong size or a nonexistent case.
    /// - Complexity: at most `maxSteps × (4·maxHalvings + 3)` float64+float32 evaluations.
    public func polish(_ input: [Double], caseIndex: Int, options: Options = Options(),
                       deadline: ContinuousClock.Instant? = nil) throws -> Counterexample {
        var best = try check.assess(input, caseIndex: caseIndex)
        let region = regions[caseIndex]
        let objective = objectives[caseIndex]
        let network = check.network
        func consider(_ x: [Double]) -> Bool {
            let output = network.evaluate(x)
            let outputFloat = network.evaluateFloat(x.map { Float($0) })
            // Cheap double-precision screen: once the best point is valid, exact arithmetic is
            // spent only on candidates that look better (the screen never decides validity).
            if best.isValid {
                let approximate = min(objective.margin(input: x, output: output).value,
                                      objective.margin(input: x, output: outputFloat.map { Double($0) }).value)
                if !(approximate > best.worstMargin) { return false }
            }
            let c = check.measure(x, caseIndex: caseIndex, output: output, outputFloat: outputFloat)
            if Self.ranks(c, above: best) { best = c; return true }
            return false
        }
        func floatRounded(_ x: [Double]) -> [Double]? {
            let y = x.map { Double(Float($0)) }
            return y != x && region.contains(y) ? y : nil
        }
        let projected = region.project(input)
        if projected != input { _ = consider(projected) }
        if let y = floatRounded(best.input) { _ = consider(y) }
        guard !region.isEmpty else { return best }
        let widths = region.widths
        let centre = region.centre

        for _ in 0..<options.maxSteps {
            if best.isValid && best.worstMargin >= options.targetMargin { break }
            if let deadline, ContinuousClock.now >= deadline { break }
            if Task.isCancelled { break }
            let x = best.input
            let trace = network.evaluateTrace(x)
            let output = trace.last ?? x
            let widened = best.outputFloat.map { Double($0) }
            var actives = Set<Int>()
            if let a = objective.margin(input: x, output: output).active { actives.insert(a) }
            if let a = objective.margin(input: x, output: widened).active { actives.insert(a) }
            var directions: [[Double]] = []
            for active in actives.sorted() {
                let g = objective.gradient(network: network, input: x, trace: trace, output: output, active: active)
                let scaled = zip(g, widths).map { $0 * $1 }
                let largest = scaled.map { abs($0) }.max() ?? 0
                guard largest > 0, largest.isFinite else { continue }
                directions.append(zip(scaled, widths).map { $0 / largest * $1 })
                directions.append(zip(g, widths).map { $0 > 0 ? $1 : ($0 < 0 ? -$1 : 0) })
            }
            directions.append(zip(centre, x).map { $0 - $1 })
            var improved = false
            var step = 0.5
            for _ in 0..<options.maxHalvings {
                for direction in directions {
                    let candidate = region.project(zip(x, direction).map { $0 + step * $1 })
                    guard candidate != x else { continue }
                    if consider(candidate) { improved = true }
                    if let y = floatRounded(candidate), consider(y) { improved = true }
                }
                if improved { break }
                step /= 2
            }
            if !improved { break }
        }
        return best
    }
}
