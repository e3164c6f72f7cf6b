import BigInt
import CZ3
import ExactArithmetic
import SMT

/// Why lowering or a Z3 call failed; becomes the reason of an `unknown` answer.
struct Z3Failure: Error {
    let message: String
}

/// Lowers `Term` and `Formula` values to Z3 ASTs in one reference-counted context
/// (as pysmt's `Converter.convert` does); only this module sees Z3, the rest is solver-agnostic.
///
/// Every AST this type returns carries one reference owned by the caller, who must release it
/// with `Z3_dec_ref`: in a `Z3_mk_context_rc` context Z3 keeps an unreferenced AST alive only
/// until the next API call. Numerals are built from exact rational text, never from a `Double`.
struct Z3Lowering {
    private let context: Z3_context
    private let realSort: Z3_sort
    /// The Z3 constant of each declared variable (one reference held), nil if declaring failed.
    private(set) var variables: [Z3_ast?] = []

    /// - Throws: `Z3Failure` when Z3 cannot make the real sort.
    init(context: Z3_context) throws(Z3Failure) {
        self.context = context
        let sort = Z3_mk_real_sort(context)
        guard Z3_get_error_code(context) == Z3_OK, let sort else {
            throw Z3Failure(message: "Z3_mk_real_sort failed: \(Self.errorMessage(context))")
        }
        Z3_inc_ref(context, Z3_sort_to_ast(context, sort))
        realSort = sort
    }

    /// Drops every reference this value holds; call once, before deleting the context.
    func release() {
        for v in variables { if let v { Z3_dec_ref(context, v) } }
        Z3_dec_ref(context, Z3_sort_to_ast(context, realSort))
    }

    /// Declares a real constant. `Z3_mk_fresh_const` makes it distinct from every other
    /// constant even when two variables share a name.
    /// - Throws: `Z3Failure` when Z3 cannot make the constant (the slot is kept, as nil, so that
    ///   ids stay in step with `RealVariable.id`).
    mutating func declare(named name: String) throws(Z3Failure) {
        let constant = Z3_mk_fresh_const(context, name, realSort)
        do {
            variables.append(try owned(constant, "declaring '\(name)'"))
        } catch {
            variables.append(nil)
            throw error
        }
    }

    /// The Z3 constant of `variable` without an extra reference (the lowering keeps one).
    func constant(of variable: RealVariable) throws(Z3Failure) -> Z3_ast {
        guard variables.indices.contains(variable.id), let ast = variables[variable.id] else {
            throw Z3Failure(message: "variable #\(variable.id) was not declared by this solver")
        }
        return ast
    }

    /// The Z3 Boolean AST of `formula`, with one reference for the caller.
    /// - Complexity: O(size of the formula).
    func lower(_ formula: Formula) throws(Z3Failure) -> Z3_ast {
        switch formula {
        case .constant(let b):
            return try owned(b ? Z3_mk_true(context) : Z3_mk_false(context), "a Boolean constant")
        case .compare(let left, let op, let right):
            let l = try lower(left)
            defer { Z3_dec_ref(context, l) }
            let r = try lower(right)
            defer { Z3_dec_ref(context, r) }
            let ast: Z3_ast? = switch op {
            case .lessOrEqual: Z3_mk_le(context, l, r)
            case .less: Z3_mk_lt(context, l, r)
            case .equal: Z3_mk_eq(context, l, r)
            case .greaterOrEqual: Z3_mk_ge(context, l, r)
            case .greater: Z3_mk_gt(context, l, r)
            }
            return try owned(ast, "a '\(op.rawValue)' atom")
        case .and(let parts):
            if parts.isEmpty { return try lower(.constant(true)) }
            return try lowerAll(parts, "a conjunction") { Z3_mk_and(context, $0, $1) }
        case .or(let parts):
            if parts.isEmpty { return try lower(.constant(false)) }
            return try lowerAll(parts, "a disjunction") { Z3_mk_or(context, $0, $1) }
        case .not(let inner):
            let i = try lower(inner)
            defer { Z3_dec_ref(context, i) }
            return try owned(Z3_mk_not(context, i), "a negation")
        }
    }

    /// The Z3 real AST of `term`, with one reference for the caller.
    /// - Complexity: O(size of the term).
    func lower(_ term: Term) throws(Z3Failure) -> Z3_ast {
        switch term {
        case .variable(let v):
            let ast = try constant(of: v)
            Z3_inc_ref(context, ast)
            return ast
        case .constant(let c):
            return try numeral(c)
        case .linear(let entries, let constant):
            return try lowerLinear(entries, constant)
        case .sum(let terms):
            if terms.isEmpty { return try numeral(.zero) }
            var parts: [Z3_ast?] = []
            parts.reserveCapacity(terms.count)
            defer { for p in parts { Z3_dec_ref(context, p) } }
            for t in terms { parts.append(try lower(t)) }
            return try add(parts)
        case .scaled(let factor, let inner):
            let f = try numeral(factor)
            defer { Z3_dec_ref(context, f) }
            let i = try lower(inner)
            defer { Z3_dec_ref(context, i) }
            return try multiply(f, i)
        case .ite(let condition, let a, let b):
            let c = try lower(condition)
            defer { Z3_dec_ref(context, c) }
            let x = try lower(a)
            defer { Z3_dec_ref(context, x) }
            let y = try lower(b)
            defer { Z3_dec_ref(context, y) }
            return try owned(Z3_mk_ite(context, c, x, y), "an if-then-else")
        }
    }

    /// `Σ cᵢ·vᵢ + constant` as one `Z3_mk_add` over a C array; a coefficient 1 contributes the
    /// bare variable and a zero coefficient nothing, so an affine row of n inputs costs n
    /// multiplications at most.
    private func lowerLinear(_ entries: [LinearTermEntry], _ constant: Rational) throws(Z3Failure) -> Z3_ast {
        var parts: [Z3_ast?] = []
        parts.reserveCapacity(entries.count + 1)
        defer { for p in parts { Z3_dec_ref(context, p) } }
        for entry in entries where !entry.coefficient.isZero {
            let v = try self.constant(of: entry.variable)
            if entry.coefficient == .one {
                Z3_inc_ref(context, v)
                parts.append(v)
            } else {
                let c = try numeral(entry.coefficient)
                defer { Z3_dec_ref(context, c) }
                parts.append(try multiply(c, v))
            }
        }
        if !constant.isZero || parts.isEmpty { parts.append(try numeral(constant)) }
        return try add(parts)
    }

    /// The exact real numeral `value`, with one reference for the caller.
    ///
    /// When numerator and denominator fit in 32 bits (most float32 weights of magnitude at least
    /// 2⁻⁸) `Z3_mk_real` builds it from the integers, measured about ten times faster than
    /// having Z3 parse the `n/d` text that every other value goes through.
    func numeral(_ value: Rational) throws(Z3Failure) -> Z3_ast {
        if let n = Int32(exactly: value.numerator), let d = Int32(exactly: value.denominator) {
            return try owned(Z3_mk_real(context, n, d), "the numeral \(value)")
        }
        return try owned(Z3_mk_numeral(context, Z3Numeral.text(value), realSort), "the numeral \(value)")
    }

    /// The sum of `parts` (each still owned by the caller), with one reference for the caller.
    private func add(_ parts: [Z3_ast?]) throws(Z3Failure) -> Z3_ast {
        if parts.count == 1, let only = parts[0] {
            Z3_inc_ref(context, only)
            return only
        }
        let ast = parts.withUnsafeBufferPointer { Z3_mk_add(context, UInt32(parts.count), $0.baseAddress) }
        return try owned(ast, "a sum of \(parts.count) terms")
    }

    /// `a · b`, with one reference for the caller.
    private func multiply(_ a: Z3_ast, _ b: Z3_ast) throws(Z3Failure) -> Z3_ast {
        let operands: [Z3_ast?] = [a, b]
        let ast = operands.withUnsafeBufferPointer { Z3_mk_mul(context, 2, $0.baseAddress) }
        return try owned(ast, "a product")
    }

    /// Lowers every formula of `parts` and combines them with `make`, with one reference for
    /// the caller.
    private func lowerAll(_ parts: [Formula], _ what: String,
                          _ make: (UInt32, UnsafePointer<Z3_ast?>?) -> Z3_ast?) throws(Z3Failure) -> Z3_ast {
        var lowered: [Z3_ast?] = []
        lowered.reserveCapacity(parts.count)
        defer { for p in lowered { Z3_dec_ref(context, p) } }
        for p in parts { lowered.append(try lower(p)) }
        let ast = lowered.withUnsafeBufferPointer { make(UInt32(lowered.count), $0.baseAddress) }
        return try owned(ast, what)
    }

    /// Checks the last call's error code and takes a reference to its result.
    private func owned(_ ast: Z3_ast?, _ what: @autoclosure () -> String) throws(Z3Failure) -> Z3_ast {
        guard Z3_get_error_code(context) == Z3_OK, let ast else {
            throw Z3Failure(message: "Z3 failed on \(what()): \(Self.errorMessage(context))")
        }
        Z3_inc_ref(context, ast)
        return ast
    }

    /// The message of the context's last error.
    static func errorMessage(_ context: Z3_context) -> String {
        let code = Z3_get_error_code(context)
        guard let message = Z3_get_error_msg(context, code) else { return "error code \(code.rawValue)" }
        return String(cString: message)
    }
}
