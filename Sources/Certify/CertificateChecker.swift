import ExactArithmetic
import Foundation
import NetworkIR
import VNNLIB

/// Checks a Certus proof certificate (docs/CERTIFICATES.md) against the network and property it
/// claims to prove, independently of the code that produced it: it imports no bound, search or
/// verifier code, reads the stored weights as exact dyadic rationals, and uses integer
/// arithmetic only (`Fixed`, `Rational`).
///
/// It checks, in one pass over the records:
/// - cover: every case of the property is the case of exactly one tree whose root box contains
///   the case's exact box; a split's two children cover its box exactly (they share the
///   midpoint), a retry keeps its box; every node a record names exists and is open; at the end
///   no node has an open case left (a removed leaf leaves its case open, and fails here);
/// - every bound refutation: recomputes the bound of the named atom or combination over the
///   node's box in exact arithmetic (`LeafBounds`, slopes as hints) and requires it above 0
///   (at least 0 for a strict constraint);
/// - every Z3 refutation: writes its own exact query for the leaf (`LeafQuery`) and requires
///   `unsat` from z3, and from cvc5 as well where cvc5 is installed.
public struct CertificateChecker {
    /// Tuning.
    public struct Options: Sendable {
        /// Time limit of each external solver run on one Z3 leaf.
        public var solverTimeoutSeconds = 120
        /// Whether cvc5 (when installed) must also answer `unsat` for every Z3 leaf.
        public var usesSecondSolver = true
        public init() {}
    }

    /// What checking found.
    public struct Report: Sendable {
        /// nil when the certificate is valid; else the first failure, naming its record.
        public var failure: String?
        public var records = 0
        public var boundRefutations = 0
        public var solverRefutations = 0
        public var nodes = 0
        /// The solvers that re-decided the Z3 leaves.
        public var solvers: [String] = []
        public var isValid: Bool { failure == nil }
    }

    let network: Network
    let exact: ExactNetwork
    let specification: Specification
    let options: Options

    /// - Throws: `CertifyError.unsupported` when the network has layers the checker does not handle.
    public init(network: Network, specification: Specification, options: Options = Options()) throws(CertifyError) {
        self.network = network
        self.exact = try ExactNetwork(network)
        self.specification = specification
        self.options = options
    }

    /// An open node: its exact box and the cases still to refute over it.
    private struct Node {
        var lower: [Rational]
        var upper: [Rational]
        var cases: [Int]
        /// The parent's bounds, which the verifier intersects into the node's (and so does the
        /// checker: they are sound over a region containing the node's box).
        var known: LeafBounds?
        /// The node's own bounds, once computed.
        var bounds: LeafBounds?
    }

    /// A failure of the certificate (reported, not thrown to the caller).
    private struct Failure: Error {
        var message: String
    }

    /// Checks the certificate at `path`.
    /// - Throws: `CertifyError.unreadable` when the file cannot be read or has no valid header.
    public func check(path: String) throws(CertifyError) -> Report {
        var reader = try LineReader(path: path)
        var report = Report()
        guard let headerLine = reader.next() else { throw .unreadable("\(path): empty file, not a certificate") }
        guard let header = try? JSONSerialization.jsonObject(with: headerLine) as? [String: Any],
              header["format"] as? String == "certus-certificate" else {
            throw .unreadable("\(path): line 1: not a Certus certificate header")
        }
        guard header["version"] as? Int == 1 else {
            throw .unreadable("\(path): line 1: certificate format version \(header["version"] ?? "?") (this checker reads version 1)")
        }
        let slopeBits = header["slope_bits"] as? Int ?? 24
        // The solvers are looked up at the first Z3 leaf (most certificates have none).
        var solvers: [String]?
        var open: [Int: Node] = [:]
        var seen = Set<Int>()
        var covered = Set<Int>()
        var ended = false
        var lineNumber = 1
        do {
            if header["inputs"] as? Int != network.inputSize || header["outputs"] as? Int != network.outputSize
                || header["cases"] as? Int != specification.cases.count {
                throw Failure(message: "line 1: the header's inputs, outputs or case count do not match the network and property")
            }
            while let line = reader.next() {
                lineNumber += 1
                report.records += 1
                if line.isEmpty { continue }
                guard !ended else { throw Failure(message: "line \(lineNumber): a record after the end record") }
                guard let record = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                      let kind = record["t"] as? String else {
                    throw Failure(message: "line \(lineNumber): not a JSON record")
                }
                let place = "line \(lineNumber)"
                func integer(_ key: String) throws(Failure) -> Int {
                    guard let v = record[key] as? Int else { throw Failure(message: "\(place): missing integer \"\(key)\"") }
                    return v
                }
                func openNode(_ id: Int) throws(Failure) -> Node {
                    guard let node = open[id] else { throw Failure(message: "\(place): node \(id) is not an open node") }
                    return node
                }
                func newNode(_ id: Int, _ node: Node) throws(Failure) {
                    guard !seen.contains(id) else { throw Failure(message: "\(place): node \(id) appears twice") }
                    seen.insert(id)
                    report.nodes += 1
                    if !node.cases.isEmpty { open[id] = node }
                }
                func bounds(of id: Int, place: String) throws(Failure) -> LeafBounds {
                    guard var node = open[id] else { throw Failure(message: "\(place): node \(id) is not an open node") }
                    if let computed = node.bounds { return computed }
                    let computed = try leafBounds(node, place: place)
                    node.bounds = computed
                    open[id] = node
                    return computed
                }
                func close(_ id: Int, caseIndex: Int) throws(Failure) {
                    guard var node = open[id], let at = node.cases.firstIndex(of: caseIndex) else {
                        throw Failure(message: "\(place): case \(caseIndex) is not open at node \(id)")
                    }
                    node.cases.remove(at: at)
                    open[id] = node.cases.isEmpty ? nil : node
                }
                switch kind {
                case "group":
                    let id = try integer("node")
                    guard let cases = record["cases"] as? [Int], !cases.isEmpty,
                          let lower = (record["lower"] as? [String])?.compactMap(HexFloat.parse),
                          let upper = (record["upper"] as? [String])?.compactMap(HexFloat.parse),
                          lower.count == network.inputSize, upper.count == network.inputSize else {
                        throw Failure(message: "\(place): a group needs cases and a box of \(network.inputSize) hexadecimal bounds")
                    }
                    for c in cases {
                        guard specification.cases.indices.contains(c), !covered.contains(c) else {
                            throw Failure(message: "\(place): case \(c) does not exist or already has a tree")
                        }
                        let box = specification.cases[c].box
                        for i in 0..<network.inputSize {
                            guard let l = box.lower[i], let u = box.upper[i], lower[i] <= l, u <= upper[i] else {
                                throw Failure(message: "\(place): the root box does not contain case \(c)'s region in X_\(i)")
                            }
                        }
                        covered.insert(c)
                    }
                    try newNode(id, Node(lower: lower, upper: upper, cases: cases, known: nil, bounds: nil))
                case "split":
                    let id = try integer("node"), dim = try integer("dim")
                    let node = try openNode(id)
                    guard let children = record["children"] as? [Int], children.count == 2,
                          let midText = record["mid"] as? String, let mid = HexFloat.parse(midText),
                          node.lower.indices.contains(dim), node.lower[dim] <= mid, mid <= node.upper[dim] else {
                        throw Failure(message: "\(place): a split needs two children and a midpoint inside the node's box")
                    }
                    let parentBounds = try bounds(of: id, place: place)
                    open[id] = nil
                    var left = node, right = node
                    left.known = parentBounds
                    left.bounds = nil
                    right.known = parentBounds
                    right.bounds = nil
                    left.upper[dim] = mid
                    right.lower[dim] = mid
                    try newNode(children[0], left)
                    try newNode(children[1], right)
                case "retry":
                    let id = try integer("node"), child = try integer("child")
                    var node = try openNode(id)
                    open[id] = nil
                    node.bounds = nil
                    try newNode(child, node)
                case "refute":
                    let id = try integer("node"), caseIndex = try integer("case")
                    let node = try openNode(id)
                    guard node.cases.contains(caseIndex) else { throw Failure(message: "\(place): case \(caseIndex) is not open at node \(id)") }
                    if record["empty"] as? Bool == true {
                        guard specification.cases[caseIndex].box.isEmpty else {
                            throw Failure(message: "\(place): node \(id), case \(caseIndex): claimed empty, but the case's box is not")
                        }
                    } else {
                        let bounds = try bounds(of: id, place: place)
                        try checkBound(record, caseIndex: caseIndex, bounds: bounds, slopeBits: slopeBits, place: "\(place), node \(id), case \(caseIndex)")
                    }
                    report.boundRefutations += 1
                    try close(id, caseIndex: caseIndex)
                case "z3":
                    let id = try integer("node"), caseIndex = try integer("case")
                    let node = try openNode(id)
                    guard node.cases.contains(caseIndex) else { throw Failure(message: "\(place): case \(caseIndex) is not open at node \(id)") }
                    let bounds = try bounds(of: id, place: place)
                    let query = LeafQuery(network: exact, bounds: bounds, box: (node.lower, node.upper),
                                          specCase: specification.cases[caseIndex])
                    if solvers == nil {
                        guard LeafQuery.isAvailable("z3") else { throw Failure(message: "\(place): a Z3 leaf, but z3 is not installed") }
                        solvers = options.usesSecondSolver && LeafQuery.isAvailable("cvc5") ? ["z3", "cvc5"] : ["z3"]
                        report.solvers = solvers ?? []
                    }
                    for solver in solvers ?? [] {
                        let answer = query.solve(with: solver, timeoutSeconds: options.solverTimeoutSeconds)
                        guard answer == .unsat else {
                            throw Failure(message: "\(place), node \(id), case \(caseIndex): \(solver) answers \(answer) on the leaf's exact query, not unsat")
                        }
                    }
                    report.solverRefutations += 1
                    try close(id, caseIndex: caseIndex)
                case "end":
                    ended = true
                default:
                    throw Failure(message: "\(place): unknown record type \"\(kind)\"")
                }
            }
            guard ended else { throw Failure(message: "no end record: the certificate is truncated") }
            if let (id, node) = open.min(by: { $0.key < $1.key }) {
                throw Failure(message: "node \(id) leaves case \(node.cases[0]) unrefuted (a hole in the cover)")
            }
            if let missing = specification.cases.indices.first(where: { !covered.contains($0) }) {
                throw Failure(message: "case \(missing) of the property has no tree")
            }
        } catch let failure as Failure {
            report.failure = failure.message
        } catch {
            report.failure = "line \(lineNumber): \(error)"
        }
        return report
    }

    /// The checker's bounds over a node's box (rounded outward to the grid).
    private func leafBounds(_ node: Node, place: String) throws(Failure) -> LeafBounds {
        do {
            let lower = try node.lower.map { q throws(ArithmeticOverflow) in try Fixed.floor(q) }
            let upper = try node.upper.map { q throws(ArithmeticOverflow) in try Fixed.ceil(q) }
            return try LeafBounds(network: exact, inputLower: lower, inputUpper: upper, known: node.known)
        } catch {
            throw Failure(message: "\(place): numbers out of the checker's range while bounding the node")
        }
    }

    /// Recomputes a bound refutation: the objective `e` of the atom (or `Σ wᵢeᵢ` of the
    /// combination) must have a lower bound above 0 over the node (at least 0 when strict).
    private func checkBound(_ record: [String: Any], caseIndex: Int, bounds: LeafBounds, slopeBits: Int, place: String) throws(Failure) {
        let specCase = specification.cases[caseIndex]
        let constraints = specCase.inputConstraints + specCase.outputConstraints
        var expression = LinearExpression()
        var strict = false
        if let atom = record["atom"] as? Int {
            // Atoms in order: each constraint `e`, then `−e` after it for an equality.
            var atoms: [(index: Int, negated: Bool)] = []
            for (i, c) in constraints.enumerated() {
                atoms.append((i, false))
                if c.relation == .equal { atoms.append((i, true)) }
            }
            guard atoms.indices.contains(atom) else { throw Failure(message: "\(place): no atom \(atom)") }
            let (index, negated) = atoms[atom]
            expression = negated ? -constraints[index].expression : constraints[index].expression
            strict = !negated && constraints[index].relation == .less
        } else if let weights = record["weights"] as? [[Any]], !weights.isEmpty {
            for entry in weights {
                guard entry.count == 2, let i = entry[0] as? Int, constraints.indices.contains(i),
                      let text = entry[1] as? String, let w = HexFloat.parse(text), !w.isZero else {
                    throw Failure(message: "\(place): a combination weight is not [constraint, nonzero hexadecimal weight]")
                }
                guard w.signum > 0 || constraints[i].relation == .equal else {
                    throw Failure(message: "\(place): negative weight on inequality constraint \(i)")
                }
                expression = expression + constraints[i].expression.scaled(by: w)
                if constraints[i].relation == .less { strict = true }
            }
        } else {
            throw Failure(message: "\(place): a refutation names neither an atom nor combination weights")
        }
        var slopes: [Int: [Int: Fixed]] = [:]
        for entry in record["slopes"] as? [[Int]] ?? [] {
            guard entry.count == 3, entry[0] >= 0, entry[0] < exact.layers.count, exact.isReLU(entry[0]),
                  entry[1] >= 0, entry[1] < exact.sizes[entry[0]], slopeBits >= 0, slopeBits <= Fixed.bits else {
                throw Failure(message: "\(place): a slope is not [ReLU layer, neuron, numerator]")
            }
            // Any slope gives a valid bound; clamping keeps the numbers small.
            let n = Int128(min(max(entry[2], 0), 1 << slopeBits))
            slopes[entry[0], default: [:]][entry[1]] = Fixed(raw: n << (Fixed.bits - slopeBits))
        }
        do {
            let value = try objectiveLowerBound(expression, bounds: bounds, slopes: slopes)
            guard value > .zero || (strict && value >= .zero) else {
                throw Failure(message: "\(place): the recomputed bound \(value.decimal) does not refute the case (needs \(strict ? "≥ 0" : "> 0"))")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(message: "\(place): numbers out of the checker's range")
        }
    }

    /// A lower bound of the exact expression over the node: coefficients rounded down to the
    /// grid, their residual `r ∈ [0, ulp)` charged as `ulp·min(0, lower bound)` per variable.
    private func objectiveLowerBound(_ expression: LinearExpression, bounds: LeafBounds,
                                     slopes: [Int: [Int: Fixed]]) throws -> Fixed {
        let last = exact.layers.count - 1
        var rows = [Fixed](repeating: .zero, count: network.outputSize)
        var inputRows = [Fixed](repeating: .zero, count: network.inputSize)
        var outputExact = [Rational](repeating: .zero, count: network.outputSize)
        var inputExact = [Rational](repeating: .zero, count: network.inputSize)
        for (variable, c) in expression.terms {
            switch variable {
            case let .input(i): inputExact[i] += c
            case let .output(j): outputExact[j] += c
            }
        }
        var constant = try Fixed.floor(expression.constant)
        let (outLower, _) = bounds.bounds(of: last)
        for j in rows.indices where !outputExact[j].isZero {
            rows[j] = try Fixed.floor(outputExact[j])
            if outLower[j] < .zero { constant = try constant + Fixed.mulDown(.ulp, outLower[j]) - .ulp }
        }
        for i in inputRows.indices where !inputExact[i].isZero {
            inputRows[i] = try Fixed.floor(inputExact[i])
            if bounds.inputLower[i] < .zero { constant = try constant + Fixed.mulDown(.ulp, bounds.inputLower[i]) - .ulp }
        }
        let back = try bounds.lowerBound(start: last, rows: rows, inputRows: inputRows, constant: constant, slopes: slopes)
        let box = try bounds.boxLowerBound(rows: rows, inputRows: inputRows, constant: constant)
        return max(back, box)
    }
}
