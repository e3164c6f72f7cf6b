import ExactArithmetic
import SMT
import Search

/// Deterministic query builders for the Z3 backend tests.
enum HardQueries {
    /// The pigeonhole principle PHP(holes + 1, holes) over reals restricted to {0, 1}: unsat,
    /// and exponentially hard for resolution-based (CDCL) search (Haken, "The intractability of
    /// resolution", TCS 39, 1985), so a solver cannot finish it quickly for 10 or more holes.
    static func pigeonhole(holes: Int, in solver: some SolverBackend) {
        let pigeons = holes + 1
        var p: [[Term]] = []
        for i in 0..<pigeons {
            var row: [Term] = []
            for j in 0..<holes {
                let v = Term.variable(solver.declareReal(named: "p_\(i)_\(j)"))
                solver.add(.or([.equal(v, .constant(.zero)), .equal(v, .constant(.one))]))
                row.append(v)
            }
            p.append(row)
        }
        // Every pigeon sits in some hole.
        for i in 0..<pigeons {
            solver.add(.or(p[i].map { .equal($0, .constant(.one)) }))
        }
        // No hole holds two pigeons.
        for j in 0..<holes {
            for i in 0..<pigeons {
                for k in (i + 1)..<pigeons {
                    solver.add(.or([.equal(p[i][j], .constant(.zero)), .equal(p[k][j], .constant(.zero))]))
                }
            }
        }
    }

    /// A fully connected ReLU network with random weights in {-8/8 … 8/8} on inputs in
    /// [-1, 1], ReLUs encoded with `ite` (or as a disjunction of the two phases), asking whether output 0 can reach `threshold`.
    /// Returns the input and output variables.
    @discardableResult
    static func reluNetwork(inputs: Int, widths: [Int], threshold: Rational, seed: UInt64,
                            reluAsIte: Bool = true,
                            in solver: some SolverBackend) -> (inputs: [RealVariable], output: RealVariable) {
        var rng = SplitMix64(seed: seed)
        let xs = (0..<inputs).map { solver.declareReal(named: "x\($0)") }
        for x in xs {
            solver.add(.greaterOrEqual(.variable(x), .constant(-.one)))
            solver.add(.lessOrEqual(.variable(x), .constant(.one)))
        }
        var previous = xs
        for (layer, width) in widths.enumerated() {
            var next: [RealVariable] = []
            for n in 0..<width {
                let coefficients = previous.map { _ in Rational(Int(rng.next() % 17) - 8) / Rational(8) }
                let bias = Rational(Int(rng.next() % 9) - 4) / Rational(16)
                let y = solver.declareReal(named: "h\(layer)_\(n)")
                let pre = Term.affine(coefficients, previous, plus: bias)
                let isLast = layer == widths.count - 1
                if isLast {
                    solver.add(.equal(.variable(y), pre))
                } else if reluAsIte {
                    solver.add(.equal(.variable(y), .relu(pre)))
                } else {
                    // The phase split of Reluplex (Katz et al., CAV 2017, §3): active or inactive.
                    solver.add(.or([.and([.greaterOrEqual(pre, .constant(.zero)), .equal(.variable(y), pre)]),
                                    .and([.lessOrEqual(pre, .constant(.zero)), .equal(.variable(y), .constant(.zero))])]))
                }
                next.append(y)
            }
            previous = next
        }
        solver.add(.greaterOrEqual(.variable(previous[0]), .constant(threshold)))
        return (xs, previous[0])
    }
}
