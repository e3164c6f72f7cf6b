import ExactArithmetic
import Foundation
import NetworkIR
import VNNLIB

/// Checks a Certus proof certificate (docs/CERTIFICATES.md) against the network and property it
/// claims to prove, independently of the code that produced it: it imports no bound, search or
/// verifier code, reads the stored weights as exact dyadic rationals, and uses integer
/// arithmetic only (`Fixed`, `Rational`).
///
/// It checks, in one pass over the records (format versions 1 and 2):
/// - the header: the network's and property's sizes and (version 2) the SHA-256 of their files;
/// - cover: every case of the property is the case of exactly one tree whose root box contains
///   the case's exact box; a split's two children cover its box exactly (they share the
///   midpoint), a ReLU split's children cover its node by `z ≤ 0 ∨ z ≥ 0`, a retry keeps its
///   node; every node a record names exists and is open; at the end no node has an open case
///   left (a removed leaf leaves its case open, and fails here);
/// - in ReLU-split trees, the root's bounds recomputed from the certificate's slope hints and
///   each node's bounds as the root's restricted to its phases (`LeafBounds+ReLUSplits`), and
///   the split multipliers β of a refutation used only at neurons the node fixes, with β ≥ 0;
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
        /// SHA-256 digests (`FileDigest`) of the ONNX and VNN-LIB files being checked; a version 2
        /// certificate must name the same ones. nil skips the comparison (the files are not at hand).
        public var fileDigests: (onnx: String, vnnlib: String)?
        /// Threads for recomputing one node's bounds (its neurons' back-substitutions run side
        /// by side); the answer does not depend on it.
        public var parallelism = ProcessInfo.processInfo.activeProcessorCount
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
        /// In a ReLU-split tree: the root's id (every node keeps the root's box).
        var root: Int?
        /// In a ReLU-split tree: the fixed phases, layer → neuron → active (`z ≥ 0`) or not (`z ≤ 0`).
        var phases: [Int: [Int: Bool]] = [:]
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
        guard let version = header["version"] as? Int, version == 1 || version == 2 else {
            throw .unreadable("\(path): line 1: certificate format version \(header["version"] ?? "?") (this checker reads versions 1 and 2)")
        }
        let slopeBits = header["slope_bits"] as? Int ?? 24
        // The solvers are looked up at the first Z3 leaf (most certificates have none).
        var solvers: [String]?
        var open: [Int: Node] = [:]
        // ReLU-split trees: slope hints of each root's intermediate bounds (until they are
        // used), then the root's bounds, by root id.
        var hints: [Int: [Int: [Int: LeafBounds.NeuronHint]]] = [:]
        var rootBounds: [Int: LeafBounds] = [:]
        var seen = Set<Int>()
        var covered = Set<Int>()
        var ended = false
        var lineNumber = 1
        do {
            if header["inputs"] as? Int != network.inputSize || header["outputs"] as? Int != network.outputSize
                || header["cases"] as? Int != specification.cases.count {
                throw Failure(message: "line 1: the header's inputs, outputs or case count do not match the network and property")
            }
            if version >= 2, let digests = options.fileDigests {
                guard header["onnx_sha256"] as? String == digests.onnx else {
                    throw Failure(message: "line 1: the certificate is for another ONNX file (SHA-256 \(header["onnx_sha256"] ?? "missing"), the model's is \(digests.onnx))")
                }
                guard header["vnnlib_sha256"] as? String == digests.vnnlib else {
                    throw Failure(message: "line 1: the certificate is for another VNN-LIB file (SHA-256 \(header["vnnlib_sha256"] ?? "missing"), the property's is \(digests.vnnlib))")
                }
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
                    let computed: LeafBounds
                    if let root = node.root {
                        if rootBounds[root] == nil {
                            rootBounds[root] = try splitRootBounds(node, hints: hints.removeValue(forKey: root) ?? [:], place: place)
                        }
                        do {
                            computed = try rootBounds[root]!.restricted(to: node.phases)
                        } catch {
                            throw Failure(message: "\(place): numbers out of the checker's range while bounding the node")
                        }
                    } else {
                        computed = try leafBounds(node, place: place)
                    }
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
                    let splitsReLUs = record["tree"] as? String == "relu"
                    guard version >= 2 || !splitsReLUs else { throw Failure(message: "\(place): a ReLU-split tree in a version 1 certificate") }
                    try newNode(id, Node(lower: lower, upper: upper, cases: cases, root: splitsReLUs ? id : nil, known: nil, bounds: nil))
                case "neuron":
                    // A slope hint for one of the root's intermediate bounds: only before the
                    // root's bounds are first used.
                    let id = try integer("node"), layer = try integer("layer"), neuron = try integer("neuron")
                    let node = try openNode(id)
                    guard node.root == id, node.phases.isEmpty, rootBounds[id] == nil else {
                        throw Failure(message: "\(place): a neuron hint for node \(id), which is not a ReLU-split root whose bounds are still to compute")
                    }
                    guard exact.layers.indices.contains(layer), !exact.isReLU(layer), neuron >= 0, neuron < exact.sizes[layer] else {
                        throw Failure(message: "\(place): a neuron hint names no neuron of an affine layer")
                    }
                    let lowerSlopes = try slopeTable(record["lower_slopes"], slopeBits: slopeBits, place: place)
                    let upperSlopes = try slopeTable(record["upper_slopes"], slopeBits: slopeBits, place: place)
                    hints[id, default: [:]][layer, default: [:]][neuron] = LeafBounds.NeuronHint(lower: lowerSlopes, upper: upperSlopes)
                case "relu-split":
                    // The cover: every point has z ≤ 0 (first child) or z ≥ 0 (second child).
                    let id = try integer("node"), layer = try integer("layer"), neuron = try integer("neuron")
                    let node = try openNode(id)
                    guard node.root != nil else { throw Failure(message: "\(place): a ReLU split in an input-split tree") }
                    guard let children = record["children"] as? [Int], children.count == 2,
                          exact.layers.indices.contains(layer), exact.isReLU(layer), neuron >= 0, neuron < exact.sizes[layer],
                          node.phases[layer]?[neuron] == nil else {
                        throw Failure(message: "\(place): a ReLU split needs two children and an unfixed neuron of a ReLU layer")
                    }
                    open[id] = nil
                    var inactive = node, active = node
                    inactive.bounds = nil
                    active.bounds = nil
                    inactive.phases[layer, default: [:]][neuron] = false
                    active.phases[layer, default: [:]][neuron] = true
                    try newNode(children[0], inactive)
                    try newNode(children[1], active)
                case "split":
                    let id = try integer("node"), dim = try integer("dim")
                    let node = try openNode(id)
                    guard node.root == nil else { throw Failure(message: "\(place): an input split in a ReLU-split tree") }
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
                    if options.parallelism > 1 {
                        // Each child needs its bounds next (to be refuted or split again): both
                        // are computed now, side by side, each on one thread. A child whose
                        // computation fails is left to compute when used, where the failure is
                        // reported with that record's line.
                        (left.bounds, right.bounds) = childBounds(left, right)
                    }
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
                        // An empty case box, or (ReLU-split trees) phases the node's bounds contradict.
                        let infeasible = try node.root != nil && bounds(of: id, place: place).isInfeasible
                        guard specification.cases[caseIndex].box.isEmpty || infeasible else {
                            throw Failure(message: "\(place): node \(id), case \(caseIndex): claimed empty, but neither the case's box nor the node's bounds are")
                        }
                    } else {
                        let bounds = try bounds(of: id, place: place)
                        if !bounds.isInfeasible {
                            let splitTerms = try self.splitTerms(record, phases: node.phases, place: "\(place), node \(id), case \(caseIndex)")
                            try checkBound(record, caseIndex: caseIndex, bounds: bounds, slopeBits: slopeBits, splitTerms: splitTerms,
                                           place: "\(place), node \(id), case \(caseIndex)")
                        }
                    }
                    report.boundRefutations += 1
                    try close(id, caseIndex: caseIndex)
                case "z3":
                    let id = try integer("node"), caseIndex = try integer("case")
                    let node = try openNode(id)
                    guard node.cases.contains(caseIndex) else { throw Failure(message: "\(place): case \(caseIndex) is not open at node \(id)") }
                    let bounds = try bounds(of: id, place: place)
                    if bounds.isInfeasible {
                        // The node's phases contradict its bounds: no point to decide.
                        report.solverRefutations += 1
                        try close(id, caseIndex: caseIndex)
                        continue
                    }
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

    /// The root bounds of a ReLU-split tree over the root's box, from the certificate's hints.
    private func splitRootBounds(_ node: Node, hints: [Int: [Int: LeafBounds.NeuronHint]], place: String) throws(Failure) -> LeafBounds {
        do {
            let lower = try node.lower.map { q throws(ArithmeticOverflow) in try Fixed.floor(q) }
            let upper = try node.upper.map { q throws(ArithmeticOverflow) in try Fixed.ceil(q) }
            return try LeafBounds.reluSplitRoot(network: exact, inputLower: lower, inputUpper: upper, hints: hints,
                                                parallelism: options.parallelism)
        } catch {
            throw Failure(message: "\(place): numbers out of the checker's range while bounding the tree's root")
        }
    }

    /// Slopes `[[layer, neuron, n], …]` (`n / 2^slopeBits`) by ReLU layer and neuron, clamped to
    /// [0, 1] (any slope gives a valid bound; clamping keeps the numbers small).
    private func slopeTable(_ value: Any?, slopeBits: Int, place: String) throws(Failure) -> [Int: [Int: Fixed]] {
        var slopes: [Int: [Int: Fixed]] = [:]
        for entry in value as? [[Int]] ?? [] {
            guard entry.count == 3, entry[0] >= 0, entry[0] < exact.layers.count, exact.isReLU(entry[0]),
                  entry[1] >= 0, entry[1] < exact.sizes[entry[0]], slopeBits >= 0, slopeBits <= Fixed.bits else {
                throw Failure(message: "\(place): a slope is not [ReLU layer, neuron, numerator]")
            }
            let n = Int128(min(max(entry[2], 0), 1 << slopeBits))
            slopes[entry[0], default: [:]][entry[1]] = Fixed(raw: n << (Fixed.bits - slopeBits))
        }
        return slopes
    }

    /// The split terms of a refutation (`betas`: `[[layer, neuron, β], …]`, β hexadecimal): for
    /// each, `−β·s` on the neuron's pre-activation, `s` the sign of the node's own phase there
    /// (+1 active, −1 inactive). A term is valid only at a neuron the node fixes and with
    /// `β ≥ 0`; then any value gives a valid bound.
    private func splitTerms(_ record: [String: Any], phases: [Int: [Int: Bool]], place: String) throws(Failure) -> [Int: [Int: Fixed]] {
        var terms: [Int: [Int: Fixed]] = [:]
        for entry in record["betas"] as? [[Any]] ?? [] {
            guard entry.count == 3, let layer = entry[0] as? Int, let neuron = entry[1] as? Int,
                  let text = entry[2] as? String, let beta = HexFloat.parse(text) else {
                throw Failure(message: "\(place): a split multiplier is not [layer, neuron, hexadecimal β]")
            }
            guard let active = phases[layer]?[neuron] else {
                throw Failure(message: "\(place): a split multiplier at layer \(layer), neuron \(neuron), which the node does not split")
            }
            guard beta.signum >= 0 else { throw Failure(message: "\(place): a negative split multiplier") }
            guard let value = try? Fixed.floor(beta) else { throw Failure(message: "\(place): a split multiplier out of range") }
            terms[layer, default: [:]][neuron] = active ? -value : value
        }
        return terms
    }

    /// The checker's bounds over a node's box (rounded outward to the grid).
    private func leafBounds(_ node: Node, place: String) throws(Failure) -> LeafBounds {
        do {
            return try Self.bounds(network: exact, lower: node.lower, upper: node.upper, known: node.known,
                                   parallelism: options.parallelism)
        } catch {
            throw Failure(message: "\(place): numbers out of the checker's range while bounding the node")
        }
    }

    /// The bounds of two sibling nodes, computed on two threads (nil where a computation fails).
    private func childBounds(_ left: Node, _ right: Node) -> (LeafBounds?, LeafBounds?) {
        let inputs = [(left.lower, left.upper, left.known), (right.lower, right.upper, right.known)]
        var results: [LeafBounds?] = [nil, nil]
        let network = exact
        results.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedBuffer(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                out.base[i] = try? Self.bounds(network: network, lower: inputs[i].0, upper: inputs[i].1, known: inputs[i].2,
                                               parallelism: 1)
            }
        }
        return (results[0], results[1])
    }

    /// `LeafBounds` over the box `[lower, upper]`, rounded outward to the grid.
    private static func bounds(network: ExactNetwork, lower: [Rational], upper: [Rational], known: LeafBounds?,
                               parallelism: Int) throws(ArithmeticOverflow) -> LeafBounds {
        let lower = try lower.map { q throws(ArithmeticOverflow) in try Fixed.floor(q) }
        let upper = try upper.map { q throws(ArithmeticOverflow) in try Fixed.ceil(q) }
        return try LeafBounds(network: network, inputLower: lower, inputUpper: upper, known: known, parallelism: parallelism)
    }

    /// Recomputes a bound refutation: the objective `e` of the atom (or `Σ wᵢeᵢ` of the
    /// combination) must have a lower bound above 0 over the node (at least 0 when strict).
    private func checkBound(_ record: [String: Any], caseIndex: Int, bounds: LeafBounds, slopeBits: Int,
                            splitTerms: [Int: [Int: Fixed]], place: String) throws(Failure) {
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
        let slopes = try slopeTable(record["slopes"], slopeBits: slopeBits, place: place)
        do {
            let value = try objectiveLowerBound(expression, bounds: bounds, slopes: slopes, splitTerms: splitTerms)
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
                                     slopes: [Int: [Int: Fixed]], splitTerms: [Int: [Int: Fixed]]) throws -> Fixed {
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
        let back = try bounds.lowerBound(start: last, rows: rows, inputRows: inputRows, constant: constant, slopes: slopes,
                                         splitTerms: splitTerms)
        let box = try bounds.boxLowerBound(rows: rows, inputRows: inputRows, constant: constant)
        return max(back, box)
    }
}
