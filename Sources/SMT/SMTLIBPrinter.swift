import ExactArithmetic

/// Prints queries as SMT-LIB 2.6 text (Barrett, Fontaine, Tinelli, *The SMT-LIB Standard 2.6*,
/// §3.1 lexicon, §4.2 commands), to read while debugging and to hand a query to another solver.
///
/// Numbers stay exact: `1/10` prints as `(/ 1 10)`, `-3` as `(- 3)`, `-1/2` as `(- (/ 1 2))`,
/// so the text means exactly what the solver was asked. Variable names become symbols that are
/// unique and legal: a name that repeats gets a `_<id>` suffix, and one that is not a simple
/// symbol is quoted as `|name|`.
///
/// ```swift
/// let printer = SMTLIBPrinter(variableNames: ["x"])
/// let x = Term.variable(RealVariable(id: 0))
/// printer.script(asserting: [.compare(x, .less, .constant(Rational(1, 10)))])
/// // (set-logic QF_LRA)\n(declare-const x Real)\n(assert (< x (/ 1 10)))\n(check-sat)\n
/// ```
public struct SMTLIBPrinter: Sendable {
    /// The printed symbol of each variable, indexed by `RealVariable.id`.
    public let symbols: [String]

    /// Creates a printer for the variables `0..<variableNames.count` with these names.
    /// - Complexity: O(total length of the names).
    public init(variableNames: [String]) {
        // A name that is a reserved word or a theory symbol (`true`, `+`, …) cannot be declared,
        // and quoting would not help (`|x|` and `x` are the same symbol, §3.1): rename it.
        var used = Self.reservedWords.union(Self.theorySymbols)
        var symbols: [String] = []
        symbols.reserveCapacity(variableNames.count)
        for (id, name) in variableNames.enumerated() {
            // `|` and `\` cannot occur inside a quoted symbol (§3.1).
            var content = String(name.map { $0 == "|" || $0 == "\\" ? "_" : $0 })
            if content.isEmpty { content = "v" }
            if used.contains(content) {
                var suffix = "_\(id)"
                while used.contains(content + suffix) { suffix += "_" }
                content += suffix
            }
            used.insert(content)
            symbols.append(Self.isSimpleSymbol(content) ? content : "|\(content)|")
        }
        self.symbols = symbols
    }

    /// The symbol printed for `variable`; an id this printer does not know prints as
    /// `|undeclared_<id>|`, which any solver rejects as an unknown constant.
    public func symbol(for variable: RealVariable) -> String {
        symbols.indices.contains(variable.id) ? symbols[variable.id] : "|undeclared_\(variable.id)|"
    }

    /// The whole query: `set-logic` (unless `logic` is nil), one `declare-const` per variable,
    /// one `assert` per formula, `(check-sat)`, and `(get-model)` when `getModel` is true.
    /// - Complexity: O(size of the formulas).
    public func script(asserting assertions: [Formula], logic: String? = "QF_LRA",
                       getModel: Bool = false) -> String {
        var out = ""
        if let logic { out += "(set-logic \(logic))\n" }
        for symbol in symbols { out += "(declare-const \(symbol) Real)\n" }
        for formula in assertions {
            out += "(assert "
            write(formula, to: &out)
            out += ")\n"
        }
        out += "(check-sat)\n"
        if getModel { out += "(get-model)\n" }
        return out
    }

    /// The SMT-LIB text of `term`.
    /// - Complexity: O(size of the term).
    public func text(of term: Term) -> String {
        var out = ""
        write(term, to: &out)
        return out
    }

    /// The SMT-LIB text of `formula`.
    /// - Complexity: O(size of the formula).
    public func text(of formula: Formula) -> String {
        var out = ""
        write(formula, to: &out)
        return out
    }

    /// The exact SMT-LIB numeral term for `value`: `3`, `(- 3)`, `(/ 1 10)`, `(- (/ 1 10))`.
    public static func numeral(_ value: Rational) -> String {
        let magnitude = value.signum < 0 ? -value : value
        // `Rational.description` is `n` or `n/d` in lowest terms with a positive denominator.
        let parts = magnitude.description.split(separator: "/")
        let body = parts.count == 2 ? "(/ \(parts[0]) \(parts[1]))" : magnitude.description
        return value.signum < 0 ? "(- \(body))" : body
    }

    private func write(_ term: Term, to out: inout String) {
        switch term {
        case .variable(let v):
            out += symbol(for: v)
        case .constant(let c):
            out += Self.numeral(c)
        case .linear(let entries, let constant):
            let count = entries.count + (constant.isZero ? 0 : 1)
            if count == 0 { out += "0"; return }
            if count > 1 { out += "(+" }
            for entry in entries {
                if count > 1 { out += " " }
                if entry.coefficient == .one {
                    out += symbol(for: entry.variable)
                } else {
                    out += "(* \(Self.numeral(entry.coefficient)) \(symbol(for: entry.variable)))"
                }
            }
            if !constant.isZero {
                if count > 1 { out += " " }
                out += Self.numeral(constant)
            }
            if count > 1 { out += ")" }
        case .sum(let terms):
            switch terms.count {
            case 0: out += "0"
            case 1: write(terms[0], to: &out)
            default:
                out += "(+"
                for t in terms {
                    out += " "
                    write(t, to: &out)
                }
                out += ")"
            }
        case .scaled(let factor, let t):
            out += "(* \(Self.numeral(factor)) "
            write(t, to: &out)
            out += ")"
        case .ite(let condition, let a, let b):
            out += "(ite "
            write(condition, to: &out)
            out += " "
            write(a, to: &out)
            out += " "
            write(b, to: &out)
            out += ")"
        }
    }

    private func write(_ formula: Formula, to out: inout String) {
        switch formula {
        case .constant(let b):
            out += b ? "true" : "false"
        case .compare(let left, let op, let right):
            out += "(\(op.rawValue) "
            write(left, to: &out)
            out += " "
            write(right, to: &out)
            out += ")"
        case .and(let parts):
            writeConnective("and", parts, empty: "true", to: &out)
        case .or(let parts):
            writeConnective("or", parts, empty: "false", to: &out)
        case .not(let inner):
            out += "(not "
            write(inner, to: &out)
            out += ")"
        }
    }

    /// `and`/`or` need two arguments in strict SMT-LIB, so none prints the unit and one prints
    /// itself.
    private func writeConnective(_ name: String, _ parts: [Formula], empty: String, to out: inout String) {
        switch parts.count {
        case 0: out += empty
        case 1: write(parts[0], to: &out)
        default:
            out += "(\(name)"
            for p in parts {
                out += " "
                write(p, to: &out)
            }
            out += ")"
        }
    }

    /// True when `text` is an SMT-LIB simple symbol (§3.1).
    static func isSimpleSymbol(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { c in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
                || "~!@$%^&*_-+=<>.?/".unicodeScalars.contains(c)
        }
    }

    /// Reserved words and command names of SMT-LIB 2.6 (§3.1, §3.9); they need quoting.
    private static let reservedWords: Set<String> = [
        "!", "_", "as", "BINARY", "DECIMAL", "exists", "HEXADECIMAL", "forall", "let", "match",
        "NUMERAL", "par", "STRING", "assert", "check-sat", "check-sat-assuming", "declare-const",
        "declare-datatype", "declare-datatypes", "declare-fun", "declare-sort", "define-fun",
        "define-fun-rec", "define-funs-rec", "define-sort", "echo", "exit", "get-assertions",
        "get-assignment", "get-info", "get-model", "get-option", "get-proof", "get-unsat-assumptions",
        "get-unsat-core", "get-value", "pop", "push", "reset", "reset-assertions", "set-info",
        "set-logic", "set-option",
    ]

    /// Symbols of the Core and Reals theories (and Z3's built-in real constants) that a
    /// declaration must not shadow.
    private static let theorySymbols: Set<String> = [
        "true", "false", "not", "and", "or", "xor", "=>", "=", "distinct", "ite", "+", "-", "*",
        "/", "<=", "<", ">=", ">", "div", "mod", "abs", "to_real", "to_int", "is_int", "Real",
        "Int", "Bool", "pi", "euler",
    ]
}
