import CertusKit
import ArgumentParser
import Encoding
import ExactArithmetic
import Foundation
import SMT
import VNNLIB

/// `certus export --smtlib MODEL PROPERTY [--case N] [--box I:LO:HI ...]`: the exact encoding of a
/// property (or one case, or a sub-box) as a standalone SMT-LIB 2 file that any solver reads.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the exact encoding of a property as a standalone SMT-LIB 2 (QF_LRA) query.",
        discussion: """
        The query is satisfiable exactly when some input of the property's region (or of the case,
        or of the sub-box) reaches the unsafe set, over the reals with the stored weights taken as
        exact rationals: `sat` corresponds to Certus's sat over the reals, `unsat` to its unsat.
        ReLUs are written as `ite`, with no bounds and no fixed phases, so the file relies on
        nothing Certus computed. Several cases become one disjunction.
        """
    )

    @Flag(help: "Write SMT-LIB 2 (the only format so far).") var smtlib = false
    @Argument(help: "The network (ONNX).") var model: String
    @Argument(help: "The property (VNN-LIB 1.0).") var property: String
    @Option(name: .customLong("case"), help: "Only this case of the property (0-based, after case expansion).") var caseIndex: Int?
    @Option(help: "Restrict input I to [LO, HI] (decimals), as I:LO:HI; repeat per input.") var box: [String] = []
    @Option(help: "Write the query here (atomically) instead of standard output.") var output: String?

    func validate() throws {
        if !smtlib { throw ValidationError("say which format: --smtlib") }
        if let caseIndex, caseIndex < 0 { throw ValidationError("--case must be at least 0") }
        for entry in box where Self.parseBox(entry) == nil {
            throw ValidationError("--box \(entry): expected I:LO:HI with decimal LO ≤ HI")
        }
    }

    static func parseBox(_ entry: String) -> (index: Int, lower: Rational, upper: Rational)? {
        let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let i = Int(parts[0]), i >= 0, let l = Rational(decimal: parts[1]),
              let u = Rational(decimal: parts[2]), l <= u else { return nil }
        return (i, l, u)
    }

    func run() async throws {
        try await ErrorReporting.guarding {
            let instance = try Instance.load(model: model, property: property)
            if instance.network.hasSmoothActivations {
                throw InputError(description: "\(model): the network has sigmoid or tanh layers, which have no exact SMT-LIB encoding to export")
            }
            let cases = instance.specification.cases
            if let caseIndex, caseIndex >= cases.count {
                throw InputError(description: "\(property): --case \(caseIndex), but the property has \(cases.count) cases")
            }
            let restrictions = box.compactMap(Self.parseBox)
            if let bad = restrictions.first(where: { $0.index >= instance.network.inputSize }) {
                throw InputError(description: "--box \(bad.index): \(model) has \(instance.network.inputSize) inputs")
            }
            let recorder = RecordingSolver()
            let encoded = NetworkEncoder(network: instance.network, bounds: nil, reluEncoding: .ite).encode(into: recorder)
            for (i, l, u) in restrictions {
                recorder.add(.compare(.variable(encoded.inputs[i]), .greaterOrEqual, .constant(l)))
                recorder.add(.compare(.variable(encoded.inputs[i]), .lessOrEqual, .constant(u)))
            }
            let chosen = caseIndex.map { [cases[$0]] } ?? cases
            let regions = chosen.map { Formula.conjunction(PropertyEncoder.formulas(for: $0, network: encoded)) }
            recorder.add(regions.count == 1 ? regions[0] : .disjunction(regions))
            let header = "; certus export of \(URL(fileURLWithPath: model).lastPathComponent) and "
                + "\(URL(fileURLWithPath: property).lastPathComponent)"
                + (caseIndex.map { ", case \($0)" } ?? ", \(cases.count) case\(cases.count == 1 ? "" : "s")")
                + (restrictions.isEmpty ? "" : ", sub-box " + box.joined(separator: " "))
                + "\n; sat iff an input of the region reaches the unsafe set (weights as exact rationals)\n"
            let text = header + recorder.script()
            if let output { try AtomicFile.write(text, to: output) } else { print(text, terminator: "") }
        }
    }
}
