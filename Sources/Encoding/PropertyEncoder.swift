import ExactArithmetic
import SMT
import VNNLIB

/// Writes one case of a VNN-LIB specification (input region and unsafe output conjunction)
/// as SMT formulas over an encoded network's variables, with exact rational constants.
public enum PropertyEncoder {
    /// The formulas asserting that the inputs lie in the case's region and the outputs in its
    /// unsafe set.
    /// - Parameter outputMargin: when positive, every output constraint `e ⋈ 0` is tightened to
    ///   `e + margin ≤ 0`, asking for a point strictly inside the unsafe set (used to find
    ///   counterexamples that survive floating-point evaluation).
    public static func formulas(for specCase: SpecificationCase, network encoded: EncodedNetwork,
                                outputMargin: Rational = .zero) -> [Formula] {
        var formulas: [Formula] = []
        for (i, v) in encoded.inputs.enumerated() where i < specCase.box.count {
            if let l = specCase.box.lower[i] { formulas.append(.compare(.variable(v), .greaterOrEqual, .constant(l))) }
            if let u = specCase.box.upper[i] { formulas.append(.compare(.variable(v), .lessOrEqual, .constant(u))) }
        }
        for constraint in specCase.inputConstraints {
            formulas.append(formula(for: constraint, encoded: encoded, margin: .zero))
        }
        for constraint in specCase.outputConstraints {
            formulas.append(formula(for: constraint, encoded: encoded, margin: outputMargin))
        }
        return formulas
    }

    /// The form of a VNN-LIB linear expression in terms of the encoded network's values.
    public static func form(of expression: LinearExpression, encoded: EncodedNetwork) -> LinearForm {
        var form = LinearForm.constant(expression.constant)
        let outputs = encoded.outputs
        for (variable, coefficient) in expression.terms {
            switch variable {
            case let .input(i): form.add(LinearForm(encoded.inputs[i]), times: coefficient)
            case let .output(j): form.add(outputs[j], times: coefficient)
            }
        }
        return form
    }

    private static func formula(for constraint: LinearConstraint, encoded: EncodedNetwork, margin: Rational) -> Formula {
        var form = form(of: constraint.expression, encoded: encoded)
        let zero = Term.constant(.zero)
        switch constraint.relation {
        case .lessOrEqual:
            form.add(.constant(margin), times: .one)
            return .compare(form.term, .lessOrEqual, zero)
        case .less:
            form.add(.constant(margin), times: .one)
            return .compare(form.term, .less, zero)
        case .equal:
            // An equality has no interior; the margin does not apply to it.
            return .compare(form.term, .equal, zero)
        }
    }
}
