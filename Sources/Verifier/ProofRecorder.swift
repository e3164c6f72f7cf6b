import Bounds
import Encoding
import ExactArithmetic
import Foundation
import NetworkIR
import SMT
import Synchronization
import VNNLIB

/// Streams a proof certificate (docs/CERTIFICATES.md, format version 2) to disk while branch and
/// bound runs: one JSON object per line, written to a hidden temporary file beside the target and
/// renamed into place only by `finish`, so the target never holds a partial certificate.
///
/// Records name nodes by ids this recorder hands out; a node's records are written when it is
/// processed, which is always after its parent's split record, so a reader can check the file in
/// one pass holding only the open nodes. Records of concurrent trees interleave freely.
///
/// Input-split trees (leaves: boxes bounded by linear relaxations or decided by Z3) and ReLU-split
/// trees (nodes: the root's box with fixed phases; the root's optimised intermediate bounds are
/// recorded as slope hints, leaves as bounds with slopes and split multipliers β) are covered; a
/// run that proves anything another way marks the recorder `failed`, and the caller then writes
/// no certificate.
public final class ProofRecorder: Sendable {
    /// The format version written in the header.
    public static let formatVersion = 2
    /// Slopes are written as integers `n` meaning `n / 2^slopeBits` (fine enough that rounding
    /// a slope moves a bound by far less than the verifier's own rounding allowance).
    public static let slopeBits = 40

    private struct State {
        var handle: FileHandle?
        var buffer = ""
        var nextID = 0
        var failure: String?
    }

    private let state: Mutex<State>
    private let target: URL
    private let temporary: URL

    /// Opens the temporary file and writes the header line.
    /// - Throws: when the temporary file cannot be created.
    /// - Parameter fileDigests: SHA-256 (hexadecimal) of the ONNX and VNN-LIB files, written in
    ///   the header so that the certificate checks only against those files.
    public init(path: String, caseCount: Int, inputCount: Int, outputCount: Int,
                fileDigests: (onnx: String, vnnlib: String)? = nil) throws {
        target = URL(fileURLWithPath: path)
        temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        var initial = State()
        initial.handle = handle
        initial.buffer = "{\"format\":\"certus-certificate\",\"version\":\(Self.formatVersion),\"inputs\":\(inputCount),"
            + "\"outputs\":\(outputCount),\"cases\":\(caseCount),\"slope_bits\":\(Self.slopeBits)"
            + (fileDigests.map { ",\"onnx_sha256\":\"\($0.onnx)\",\"vnnlib_sha256\":\"\($0.vnnlib)\"" } ?? "") + "}\n"
        state = Mutex(initial)
    }

    /// Why no certificate can be written for this run, if that is so.
    public var failure: String? { state.withLock { $0.failure } }

    /// Marks the run as not certifiable (the first reason is kept).
    func fail(_ reason: String) {
        state.withLock { if $0.failure == nil { $0.failure = reason } }
    }

    /// Appends one record line (flushed in blocks of about a megabyte).
    private func write(_ line: String) {
        state.withLock { s in
            s.buffer += line
            s.buffer += "\n"
            if s.buffer.utf8.count >= 1 << 20 {
                s.handle?.write(Data(s.buffer.utf8))
                s.buffer = ""
            }
        }
    }

    /// `count` fresh node ids.
    private func freshIDs(_ count: Int) -> [Int] {
        state.withLock { s in
            let first = s.nextID
            s.nextID += count
            return Array(first..<(first + count))
        }
    }

    /// Writes the end record, closes the file and renames it to the target.
    /// - Throws: when the run was marked failed, or the file cannot be written or renamed.
    public func finish() throws {
        let failure: String? = state.withLock { s in
            if s.failure != nil { return s.failure }
            s.buffer += "{\"t\":\"end\",\"nodes\":\(s.nextID)}\n"
            s.handle?.write(Data(s.buffer.utf8))
            s.buffer = ""
            try? s.handle?.close()
            s.handle = nil
            return nil
        }
        if let failure {
            discard()
            throw CertificateUnavailable(reason: failure)
        }
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw CertificateUnavailable(reason: "cannot rename the certificate into place (\(reason))")
        }
    }

    /// Closes and removes the temporary file (no certificate for this run).
    public func discard() {
        state.withLock { s in
            try? s.handle?.close()
            s.handle = nil
            s.buffer = ""
        }
        try? FileManager.default.removeItem(at: temporary)
    }

    // MARK: Records

    /// Starts a tree for `cases` (indices into the specification) over the double box `box`,
    /// splitting ReLUs when `splitsReLUs`; returns the root's id.
    func group(cases: [Int], box: IntervalVector, splitsReLUs: Bool = false) -> Int {
        let id = freshIDs(1)[0]
        write("{\"t\":\"group\",\"node\":\(id),\"cases\":[\(cases.map(String.init).joined(separator: ","))],"
              + (splitsReLUs ? "\"tree\":\"relu\"," : "")
              + "\"lower\":[\(box.lower.map { Self.hex($0) }.joined(separator: ","))],"
              + "\"upper\":[\(box.upper.map { Self.hex($0) }.joined(separator: ","))]}")
        return id
    }

    /// Records the cheap root proofs of cases that share one box (interval or plain linear
    /// bounds, `Verifier.cheapProofs`) as one tree of a single node, marked a ReLU-split tree so
    /// that the checker bounds it as those bounds were computed: interval propagation, then
    /// back-substitution with CROWN's adaptive slopes, no forward symbolic pass. Returns the
    /// cases it recorded; a proof by an equality constraint (either side may be the one) or of
    /// an empty box is not recorded, and its case goes to branch and bound.
    func rootProofs(_ proofs: [(caseIndex: Int, proof: BoundsProof)], specification: Specification) -> [Int] {
        var refutations: [(caseIndex: Int, body: String)] = []
        for (caseIndex, proof) in proofs {
            let specCase = specification.cases[caseIndex]
            let constraints = specCase.inputConstraints + specCase.outputConstraints
            switch proof {
            case let .constraint(index) where constraints.indices.contains(index) && constraints[index].relation != .equal:
                let atom = constraints[..<index].reduce(0) { $0 + ($1.relation == .equal ? 2 : 1) }
                refutations.append((caseIndex, "\"atom\":\(atom),\"slopes\":[]"))
            case let .combination(weights) where weights.count == constraints.count && weights.contains(where: { $0 != 0 }):
                let entries = weights.enumerated().filter { $0.element != 0 }.map { "[\($0.offset),\(Self.hex($0.element))]" }
                refutations.append((caseIndex, "\"weights\":[\(entries.joined(separator: ","))],\"slopes\":[]"))
            default:
                continue
            }
        }
        guard let first = refutations.first else { return [] }
        let box = specification.cases[first.caseIndex].box
        let doubles = IntervalVector(lower: box.lowerDoubles, upper: box.upperDoubles)
        guard doubles.isFinite else { return [] }
        let id = group(cases: refutations.map(\.caseIndex), box: doubles, splitsReLUs: true)
        for (caseIndex, body) in refutations { write("{\"t\":\"refute\",\"node\":\(id),\"case\":\(caseIndex),\(body)}") }
        return refutations.map(\.caseIndex)
    }

    /// Records the slopes of a ReLU-split root's optimised intermediate bounds, one record per
    /// neuron, before any other record of the tree's nodes.
    func hints(node: Int, _ hints: [IntermediateSlopeHint]) {
        func entries(_ slopes: [IntermediateSlopeHint.Slope]) -> String {
            slopes.map { "[\($0.layer),\($0.neuron),\(Self.slopeNumerator($0.alpha))]" }.joined(separator: ",")
        }
        for hint in hints {
            write("{\"t\":\"neuron\",\"node\":\(node),\"layer\":\(hint.layer),\"neuron\":\(hint.neuron),"
                  + "\"lower_slopes\":[\(entries(hint.lower))],\"upper_slopes\":[\(entries(hint.upper))]}")
        }
    }

    /// A slope in [0, 1] as the integer numerator over `2^slopeBits`.
    static func slopeNumerator(_ alpha: Double) -> Int {
        Int((min(1, max(0, alpha)) * Double(1 << slopeBits)).rounded())
    }

    /// Records how the bounds refuted `caseIndex` at node `node`: the atom that proved it, or
    /// the combination's weights, with the lower ReLU slopes of that bound at the neurons that
    /// `bounds` leaves unstable. A proof without either (an empty region) is recorded as such.
    func refuted(node: Int, caseIndex: Int, outcome: RegionRefutation.Outcome, bounds: NetworkBounds) {
        var line = "{\"t\":\"refute\",\"node\":\(node),\"case\":\(caseIndex),"
        let slopes: [Int: [Double]]
        let splitTerms: [ObjectiveBound.SplitTerm]
        if let combination = outcome.provingCombination {
            let weights = combination.weights.enumerated().filter { $0.element != 0 }
                .map { "[\($0.offset),\(Self.hex($0.element))]" }
            line += "\"weights\":[\(weights.joined(separator: ","))],"
            slopes = combination.bound.slopes
            splitTerms = combination.bound.splitTerms
        } else if let atom = outcome.guide, outcome.atomBounds.indices.contains(atom) {
            line += "\"atom\":\(atom),"
            slopes = outcome.atomBounds[atom].slopes
            splitTerms = outcome.atomBounds[atom].splitTerms
        } else {
            line += "\"empty\":true}"
            write(line)
            return
        }
        var entries: [String] = []
        for layer in slopes.keys.sorted() {
            guard let values = slopes[layer] else { continue }
            for neuron in bounds.unstableNeurons(inLayer: layer) where neuron < values.count {
                entries.append("[\(layer),\(neuron),\(Self.slopeNumerator(values[neuron]))]")
            }
        }
        line += "\"slopes\":[\(entries.joined(separator: ","))]"
        if !splitTerms.isEmpty {
            line += ",\"betas\":[\(splitTerms.map { "[\($0.layer),\($0.neuron),\(Self.hex($0.beta))]" }.joined(separator: ","))]"
        }
        line += "}"
        write(line)
    }

    /// Gives `children` (the halves of `parent`'s box) fresh ids and records the split.
    func split(_ parent: Subproblem, into children: inout [Subproblem]) {
        guard children.count == 2,
              let dim = parent.box.lower.indices.first(where: { children[0].box.upper[$0] != parent.box.upper[$0] }) else {
            fail("a split that is not an input bisection")
            return
        }
        let ids = freshIDs(2)
        for i in 0..<2 { children[i].id = ids[i] }
        write("{\"t\":\"split\",\"node\":\(parent.id),\"dim\":\(dim),\"mid\":\(Self.hex(children[0].box.upper[dim])),"
              + "\"children\":[\(ids[0]),\(ids[1])]}")
    }

    /// Gives `children` (of a ReLU split of `parent`: the neuron inactive, then active) fresh ids
    /// and records the split; a single child (nothing left to split) is recorded as a retry.
    func reluSplit(_ parent: Subproblem, into children: inout [Subproblem], reluLayers: [Int]) {
        if children.count == 1 {
            retry(parent, as: &children[0])
            return
        }
        var split: (Int, Int)?
        for layer in reluLayers where split == nil {
            let before = parent.phases.phases(inLayer: layer)
            split = children[0].phases.phases(inLayer: layer).first { before[$0.key] == nil }.map { (layer, $0.key) }
        }
        guard children.count == 2, let (layer, neuron) = split,
              children[0].phases[layer: layer, neuron: neuron] == .inactive,
              children[1].phases[layer: layer, neuron: neuron] == .active else {
            fail("a split that is not a ReLU phase split")
            return
        }
        let ids = freshIDs(2)
        for i in 0..<2 { children[i].id = ids[i] }
        write("{\"t\":\"relu-split\",\"node\":\(parent.id),\"layer\":\(layer),\"neuron\":\(neuron),"
              + "\"children\":[\(ids[0]),\(ids[1])]}")
    }

    /// Gives `child` (the same box as `parent`, fewer open cases) a fresh id and records it.
    func retry(_ parent: Subproblem, as child: inout Subproblem) {
        child.id = freshIDs(1)[0]
        write("{\"t\":\"retry\",\"node\":\(parent.id),\"child\":\(child.id)}")
    }

    /// Records that Z3 found `query` (SMT-LIB 2) unsatisfiable, refuting `caseIndex` at `node`.
    func z3(node: Int, caseIndex: Int, query: String) {
        write("{\"t\":\"z3\",\"node\":\(node),\"case\":\(caseIndex),\"answer\":\"unsat\",\"query\":\(Self.jsonString(query))}")
    }

    /// The exact SMT-LIB query of one case over a leaf, as `ExactCaseSolver` poses it.
    static func query(network: Network, specCase: SpecificationCase, bounds: NetworkBounds, subBox: IntervalVector) -> String {
        let recorder = RecordingSolver()
        let encoded = NetworkEncoder(network: network, bounds: bounds, reluEncoding: .ite).encode(into: recorder)
        for (i, v) in encoded.inputs.enumerated() where i < subBox.count {
            if let l = Rational(exactly: subBox.lower[i]) { recorder.add(.compare(.variable(v), .greaterOrEqual, .constant(l))) }
            if let u = Rational(exactly: subBox.upper[i]) { recorder.add(.compare(.variable(v), .lessOrEqual, .constant(u))) }
        }
        for formula in PropertyEncoder.formulas(for: specCase, network: encoded, outputMargin: .zero) { recorder.add(formula) }
        return recorder.script()
    }

    /// A double as a JSON string holding its exact hexadecimal floating-point form (`%a`).
    static func hex(_ value: Double) -> String { "\"\(String(format: "%a", value))\"" }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// Why a run that proved its property left no certificate.
public struct CertificateUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "no certificate: \(reason)" }
}
