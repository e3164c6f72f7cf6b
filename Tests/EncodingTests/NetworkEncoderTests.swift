import Bounds
import ExactArithmetic
import NetworkIR
import SMT
import Testing
import VNNLIB
@testable import Encoding

@Suite struct NetworkEncoderTests {
    /// x ∈ R², h = relu(W·x + b) with W = [[0.1, -1], [2, 1]], b = [0, -1], y = h₀ + h₁, y / 4.
    static func network() throws -> Network {
        try Network(inputShape: [2], layers: [
            .affine(AffineLayer(weights: Matrix([[0.1, -1], [2, 1]]), bias: [0, -1])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1, 1]]), bias: [0])),
            .divide(divisors: [4]),
        ])
    }

    @Test func weightsEnterExactly() throws {
        let backend = RecordingBackend()
        let encoded = NetworkEncoder(network: try Self.network()).encode(into: backend)
        #expect(encoded.inputs.count == 2)
        // The first affine row: L0_0 = 0.1·X_0 − X_1, with 0.1 the exact double.
        guard case let .compare(.variable(v), .equal, .linear(entries, constant)) = backend.assertions[0] else {
            Issue.record("unexpected first assertion \(backend.assertions[0])")
            return
        }
        #expect(backend.names[v.id] == "L0_0")
        #expect(constant == .zero)
        #expect(entries.first?.coefficient == Rational(exactly: 0.1))
        #expect(entries.first?.coefficient.description == "3602879701896397/36028797018963968")
        // Division by 4 is exact: the output form is (L2_0) · 1/4.
        let output = encoded.outputs[0]
        #expect(output.coefficients.values.first == Rational(1, 4))
    }

    /// Bounds over the unit square with the given per-layer boxes.
    static func bounds(lower: [[Double]], upper: [[Double]]) -> NetworkBounds {
        NetworkBounds(input: IntervalVector(lower: [0, 0], upper: [1, 1]),
                      layers: zip(lower, upper).map { IntervalVector(lower: $0, upper: $1) }, reluLayers: [1])
    }

    @Test(arguments: NetworkEncoder.ReLUEncoding.allCases)
    func unstableReLUsAreSplitAndStableOnesFixed(encoding: NetworkEncoder.ReLUEncoding) throws {
        let net = try Self.network()
        // Neuron 0 stable active, neuron 1 stable inactive, after the relu unused bounds.
        let stable = Self.bounds(lower: [[0.5, -3], [0.5, 0], [0.5], [0.125]], upper: [[2, -0.5], [2, 0], [2], [0.5]])
        let stableBackend = RecordingBackend()
        let stableEncoded = NetworkEncoder(network: net, bounds: stable, reluEncoding: encoding).encode(into: stableBackend)
        #expect(stableEncoded.unstableReLUs == [0])
        #expect(stableBackend.iteCount == 0)
        #expect(!stableBackend.names.contains { $0.hasPrefix("R") })

        let unstable = Self.bounds(lower: [[-1, -1], [0, 0], [0], [0]], upper: [[1, 2], [1, 2], [3], [0.75]])
        let backend = RecordingBackend()
        let encoded = NetworkEncoder(network: net, bounds: unstable, reluEncoding: encoding).encode(into: backend)
        #expect(encoded.unstableReLUs == [2])
        #expect(backend.iteCount == (encoding == .ite ? 2 : 0))
        #expect(backend.names.filter { $0.hasPrefix("R") }.count == 2)
    }

    @Test func fixedPhasesAddSignConstraints() throws {
        let backend = RecordingBackend()
        let encoder = NetworkEncoder(network: try Self.network(), fixedPhases: PhaseAssignment()
            .fixing(layer: 1, neuron: 0, to: .active).fixing(layer: 1, neuron: 1, to: .inactive))
        let encoded = encoder.encode(into: backend)
        #expect(encoded.unstableReLUs == [0])
        #expect(backend.iteCount == 0)
        #expect(backend.assertions.contains { if case .compare(_, .greaterOrEqual, .constant(.zero)) = $0 { true } else { false } })
        #expect(backend.assertions.contains { if case .compare(_, .lessOrEqual, .constant(.zero)) = $0 { true } else { false } })
    }

    @Test func propertyConstraintsUseExactDecimalsAndMargins() throws {
        let net = try Self.network()
        let backend = RecordingBackend()
        let encoded = NetworkEncoder(network: net).encode(into: backend)
        guard let tenth = Rational(decimal: "0.1") else { return }
        let box = InputBox(lower: [.zero, .zero], upper: [tenth, .one])
        // Unsafe: Y_0 ≥ 0.1  ⇔  0.1 − Y_0 ≤ 0
        let unsafe = LinearConstraint(LinearExpression(constant: tenth) - LinearExpression(.output(0)), .lessOrEqual)
        let formulas = PropertyEncoder.formulas(for: SpecificationCase(box: box, outputConstraints: [unsafe]), network: encoded,
                                                outputMargin: Rational(1, 1000))
        #expect(formulas.count == 5)
        #expect(formulas[1] == .compare(.variable(encoded.inputs[0]), .lessOrEqual, .constant(tenth)))
        guard case let .compare(.linear(_, constant), .lessOrEqual, .constant(.zero)) = formulas[4] else {
            Issue.record("unexpected output formula \(formulas[4])")
            return
        }
        #expect(constant == tenth + Rational(1, 1000))
    }
}
