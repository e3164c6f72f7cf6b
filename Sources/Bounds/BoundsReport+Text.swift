/// The human-readable rendering of a `BoundsReport`, for `certus bounds` without `--json`.
extension BoundsReport {
    /// A multi-line description: per method and case the output bounds, constraint slack
    /// bounds, whether the case is proved (and how), unstable ReLUs per layer and the time;
    /// with `traces`, every recorded Lagrangian iteration.
    public func text(traces showTraces: Bool = false) -> String {
        var lines = ["model \(model)", "property \(property)"]
        for method in methods {
            lines.append("method \(method.method.rawValue): \(Self.format(seconds: method.seconds)) for \(method.cases.count) case(s)")
            for c in method.cases {
                let verdict = c.proved ? "proved (\(c.proof ?? "bounds"))" : "not proved"
                lines.append("  case \(c.caseIndex): \(verdict), \(Self.format(seconds: c.seconds))")
                for (j, y) in c.outputs.enumerated() {
                    lines.append("    Y_\(j) ∈ [\(Self.format(y.lower.value)), \(Self.format(y.upper.value))]")
                }
                for k in c.constraints {
                    let mark = k.unreachable ? "  unreachable" : ""
                    lines.append("    slack of \(k.constraint): [\(Self.format(k.lower.value)), \(Self.format(k.upper.value))]\(mark)")
                }
                lines.append("    unstable ReLUs per layer: \(c.unstable)")
                if showTraces, let traces = c.traces {
                    for trace in traces {
                        lines.append("    Lagrangian trace, \(trace.label):")
                        for (i, bound) in trace.bounds.enumerated() {
                            lines.append("      iteration \(i): bound \(Self.format(bound.value)), best \(Self.format(trace.best[i].value))")
                        }
                    }
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value == .infinity { return "+inf" }
        if value == -.infinity { return "-inf" }
        return "\(value)"
    }

    static func format(seconds: Double) -> String {
        seconds < 1 ? "\((seconds * 1e5).rounded() / 100) ms" : "\((seconds * 1000).rounded() / 1000) s"
    }
}
