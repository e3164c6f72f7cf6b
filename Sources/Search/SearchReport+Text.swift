/// The human-readable rendering of a manipulation search, with its guarantee stated honestly.
extension SearchReport {
    /// What the outcome does and does not establish.
    ///
    /// A counterexample is concrete (validated by running the network). Otherwise the search
    /// says which grid was covered and that only DLV's minimality assumption (Huang et al.
    /// 2017, "minimal manipulations": no counterexample strictly between neighbouring grid points) would turn
    /// "none on this grid" into a proof; it never says `unsat`.
    public var guaranteeStatement: String {
        let layerName = details.layer.map { "the output of layer \($0)" } ?? "the input"
        let gridText = details.grids.isEmpty
            ? "an empty grid (no input region holds a double point)"
            : details.grids.map(Self.describe).joined(separator: "; ")
        switch outcome {
        case .counterexample:
            var text = "A counterexample was found and checked by running the network (float64 exactly; float32 "
            if let c = details.counterexample { text += "margin \(c.marginFloat)" } else { text += "margin within tolerance" }
            return text + "). It is concrete, independent of any grid assumption."
        case .noneOnGrid:
            var text = "No counterexample on this grid. This is not a proof that the property holds: the search covered "
                + "\(layerName) over \(gridText)"
            if cellsPruned > 0 { text += ", \(cellsPruned) cells of which were proved safe by bounds" }
            if details.spurious > 0 { text += "; \(details.spurious) violating hidden points were shown unrealisable" }
            text += ". Other dimensions stay at the centre. It would be a proof only under the minimality assumption "
                + "that no counterexample lies strictly between neighbouring grid points, which is not checked."
            return text
        case .budgetExhausted:
            var text = "The search stopped before covering the grid (\(details.stopReason ?? "undecided hidden points")): "
                + "\(pointsLeft) grid points are undecided. Nothing is claimed about them or about the space between grid points."
            if details.unresolved > 0 {
                text += " \(details.unresolved) violating hidden points could not be mapped back to an input."
            }
            return text
        }
    }

    /// The multi-line text report of `certus search`.
    public var text: String {
        var lines: [String] = []
        switch outcome {
        case .counterexample: lines.append("counterexample found on the manipulation grid")
        case .noneOnGrid: lines.append("no counterexample on the grid")
        case .budgetExhausted: lines.append("search stopped: budget exhausted")
        }
        for grid in details.grids { lines.append("grid: " + Self.describe(grid)) }
        var coverage = "points checked: \(pointsChecked), cells pruned by bounds: \(cellsPruned)"
        if let cells = details.totalCells, cells > 0 {
            coverage += " of \(cells) (\(Self.percent(cellsPruned, cells)))"
        }
        coverage += ", points left: \(pointsLeft)"
        lines.append(coverage)
        if details.layer != nil {
            lines.append("hidden points violating: \(details.hiddenHits), spurious: \(details.spurious), "
                         + "unresolved: \(details.unresolved)")
        }
        if details.rejected > 0 {
            lines.append("grid points valid in float64 but rejected by the float32 tolerance: \(details.rejected)")
        }
        let seconds = Double(details.elapsed.components.seconds) + Double(details.elapsed.components.attoseconds) * 1e-18
        if seconds > 0 {
            lines.append("time: \(seconds) s (\(Int((Double(pointsChecked) / seconds).rounded())) points/s)")
        }
        if let witness = counterexample {
            lines.append("x: \(witness.x)")
            lines.append("y: \(witness.y)")
        }
        lines.append(guaranteeStatement)
        return lines.joined(separator: "\n")
    }

    /// "dimensions [..], spans [..], steps [..] (N points)".
    static func describe(_ grid: ManipulationGrid) -> String {
        let where_ = grid.layer.map { "layer \($0) " } ?? ""
        let count = grid.pointCount.map { "\($0) points" } ?? "too many points to count"
        return "\(where_)dimensions \(grid.dimensions), spans \(grid.spans), steps \(grid.steps) (\(count))"
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        let value = (Double(part) / Double(whole) * 1000).rounded() / 10
        return "\(value)%"
    }
}
