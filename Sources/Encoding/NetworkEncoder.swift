import Bounds
import ExactArithmetic
import NetworkIR
import SMT

/// The layered exact encoder: a `Network` becomes linear real arithmetic with one Boolean case
/// split per unstable ReLU.
///
/// Every weight, bias and divisor enters the solver as the exact rational it stores
/// (`Rational(exactly:)`), so Z3's `unsat` is a proof about the real-valued network with the
/// stored parameters. Affine outputs get one variable each (`v = Σ wⱼ·xⱼ + b`); division and
/// stable ReLUs only transform the symbolic values. With sound `NetworkBounds` the encoder
/// fixes stable ReLUs (pre-activation `u ≤ 0` ⇒ output 0; `l ≥ 0` ⇒ identity) and adds the
/// triangle relaxation `y ≤ u(x − l)/(u − l)` of Ehlers 2017 (Planet) as a cut: implied by the
/// exact constraints, it only helps the solver's simplex prune. Sigmoid and tanh layers cannot be
/// encoded exactly; they are over-approximated by their bounds (`encodeSmooth`), and the result
/// says so (`EncodedNetwork.isExact`).
public struct NetworkEncoder: Sendable {
    /// How an unstable ReLU `y = max(0, x)` is written.
    public enum ReLUEncoding: String, Sendable, CaseIterable {
        /// `y = ite(x ≥ 0, x, 0)`.
        case ite
        /// `y ≥ 0 ∧ y ≥ x ∧ (y ≤ 0 ∨ y ≤ x)`.
        case disjunction
    }

    public let network: Network
    public var reluEncoding: ReLUEncoding
    /// Sound bounds on every layer's outputs over the region being encoded, or nil.
    public var bounds: NetworkBounds?
    /// Whether to add triangle cuts and pre-activation bound constraints for unstable ReLUs.
    public var addsRelaxationCuts: Bool
    /// ReLU phases fixed by a caller (branch and bound's splits).
    public var fixedPhases: PhaseAssignment

    public init(network: Network, bounds: NetworkBounds? = nil, reluEncoding: ReLUEncoding = .ite,
                addsRelaxationCuts: Bool = true, fixedPhases: PhaseAssignment = PhaseAssignment()) {
        if let bounds {
            precondition(bounds.layers.count == network.layers.count, "bounds must cover every layer")
        }
        self.network = network
        self.bounds = bounds
        self.reluEncoding = reluEncoding
        self.addsRelaxationCuts = addsRelaxationCuts
        self.fixedPhases = fixedPhases
    }

    /// Declares the inputs and encodes layers `0..<layerCount` into `solver`.
    /// - Parameter layerCount: how many layers to encode (default: all), so the search can ask
    ///   which inputs reach a given hidden vector.
    /// - Complexity: O(number of weights) rational conversions.
    public func encode(into solver: any SolverBackend, layerCount: Int? = nil) -> EncodedNetwork {
        let count = min(layerCount ?? network.layers.count, network.layers.count)
        let inputs = (0..<network.inputSize).map { solver.declareReal(named: "X_\($0)") }
        var current = inputs.map { LinearForm($0) }
        var layerValues: [[LinearForm]] = []
        var unstable: [Int] = []
        var relaxedLayers: [Int] = []
        for index in 0..<count {
            switch network.layers[index] {
            case let .affine(affine):
                current = encodeAffine(affine, layer: index, inputs: current, solver: solver)
            case let .divide(divisors):
                current = zip(current, divisors).map { form, d in
                    // Exact: 1/d is taken as a rational, never as the rounded double 1/d.
                    form.scaled(by: Rational.one / (Rational(exactly: d) ?? .one))
                }
            case .relu:
                var split = 0
                current = current.indices.map { j in
                    encodeReLU(layer: index, neuron: j, input: current[j], solver: solver, unstableCount: &split)
                }
                unstable.append(split)
            case let .smooth(smooth):
                relaxedLayers.append(index)
                // A carried entry is the identity, exactly.
                current = current.indices.map { j in
                    smooth.carries(j) ? current[j] : encodeSmooth(smooth.function, layer: index, neuron: j, input: current[j], solver: solver)
                }
            }
            layerValues.append(current)
        }
        return EncodedNetwork(inputs: inputs, layerValues: layerValues, unstableReLUs: unstable, relaxedLayers: relaxedLayers)
    }

    /// A sigmoid or tanh neuron has no exact encoding in linear real arithmetic. It is written
    /// as a fresh variable `y` within the function's range, within the layer's bounds, and
    /// between the lines of `SmoothRelaxation` when the input's bounds are finite: constraints
    /// every exact value satisfies, so the encoding over-approximates the network (an
    /// infeasible query is still a proof, but a model is not a counterexample until replayed).
    /// `EncodedNetwork.relaxedLayers` records that this happened.
    private func encodeSmooth(_ f: SmoothActivation, layer: Int, neuron: Int, input x: LinearForm, solver: any SolverBackend) -> LinearForm {
        let y = solver.declareReal(named: "S\(layer)_\(neuron)")
        let yt = Term.variable(y)
        var low = f.range.lowerBound, high = f.range.upperBound
        if let output = bounds?.layers[layer] {
            low = max(low, output.lower[neuron])
            high = min(high, output.upper[neuron])
        }
        if let l = Rational(exactly: low) { solver.add(.compare(yt, .greaterOrEqual, .constant(l))) }
        if let h = Rational(exactly: high) { solver.add(.compare(yt, .lessOrEqual, .constant(h))) }
        if let entering = bounds?.inputBounds(ofLayer: layer), entering.lower[neuron].isFinite, entering.upper[neuron].isFinite {
            let lines = SmoothRelaxation(f, lower: entering.lower[neuron], upper: entering.upper[neuron])
            if let a = Rational(exactly: lines.lowerSlope), let b = Rational(exactly: lines.lowerIntercept) {
                var below = x.scaled(by: a)
                below.add(.constant(.one), times: b)
                solver.add(.compare(yt, .greaterOrEqual, below.term))
            }
            if let a = Rational(exactly: lines.upperSlope), let b = Rational(exactly: lines.upperIntercept) {
                var above = x.scaled(by: a)
                above.add(.constant(.one), times: b)
                solver.add(.compare(yt, .lessOrEqual, above.term))
            }
        }
        return LinearForm(y)
    }

    private func encodeAffine(_ affine: AffineLayer, layer: Int, inputs: [LinearForm], solver: any SolverBackend) -> [LinearForm] {
        let w = affine.matrix
        // Convert each weight once; most layer inputs are single variables, which needs no products.
        let singles = inputs.map(\.singleVariable)
        return (0..<w.rows).map { i in
            var entries: [RealVariable: Rational] = [:]
            var constant = Rational(exactly: affine.bias[i]) ?? .zero
            var general = LinearForm()
            w.forEachEntry(inRow: i) { j, wij in
                guard wij != 0, let r = Rational(exactly: wij) else { return }
                if let v = singles[j] {
                    let sum = (entries[v] ?? .zero) + r
                    entries[v] = sum
                } else if inputs[j].isConstant {
                    constant += inputs[j].constant * r
                } else {
                    general.add(inputs[j], times: r)
                }
            }
            var form = LinearForm(coefficients: entries, constant: constant)
            form.add(general, times: .one)
            let v = solver.declareReal(named: "L\(layer)_\(i)")
            solver.add(.compare(.variable(v), .equal, form.term))
            return LinearForm(v)
        }
    }

    private func encodeReLU(layer: Int, neuron: Int, input x: LinearForm, solver: any SolverBackend,
                            unstableCount: inout Int) -> LinearForm {
        let zero = Term.constant(.zero)
        if let phase = fixedPhases[layer: layer, neuron: neuron] {
            switch phase {
            case .active:
                solver.add(.compare(x.term, .greaterOrEqual, zero))
                return x
            case .inactive:
                solver.add(.compare(x.term, .lessOrEqual, zero))
                return .constant(.zero)
            }
        }
        if x.isConstant { return .constant(max(.zero, x.constant)) }
        let entering = bounds?.inputBounds(ofLayer: layer)
        let (lower, upper) = entering.map { ($0.lower[neuron], $0.upper[neuron]) } ?? (-.infinity, .infinity)
        if upper <= 0 { return .constant(.zero) }
        if lower >= 0 { return x }
        unstableCount += 1
        let y = solver.declareReal(named: "R\(layer)_\(neuron)")
        let yt = Term.variable(y), xt = x.term
        switch reluEncoding {
        case .ite:
            solver.add(.compare(yt, .equal, .ite(.compare(xt, .greaterOrEqual, zero), xt, zero)))
        case .disjunction:
            solver.add(.compare(yt, .greaterOrEqual, zero))
            solver.add(.compare(yt, .greaterOrEqual, xt))
            solver.add(.or([.compare(yt, .lessOrEqual, zero), .compare(yt, .lessOrEqual, xt)]))
        }
        if addsRelaxationCuts, lower.isFinite, upper.isFinite,
           let l = Rational(exactly: lower), let u = Rational(exactly: upper) {
            solver.add(.compare(xt, .greaterOrEqual, .constant(l)))
            solver.add(.compare(xt, .lessOrEqual, .constant(u)))
            // Triangle: y ≤ u·(x − l)/(u − l), exact in rationals.
            let slope = u / (u - l)
            var chord = x.scaled(by: slope)
            chord.add(.constant(.one), times: -(slope * l))
            solver.add(.compare(yt, .lessOrEqual, chord.term))
        }
        return LinearForm(y)
    }
}
