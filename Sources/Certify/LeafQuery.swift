import ExactArithmetic
import Foundation
import SMT
import VNNLIB

/// The checker's own exact SMT-LIB query for a Z3 leaf, and the external solvers that decide it.
///
/// Why not re-solve the certificate's query: it fixes ReLU phases and bounds that the verifier
/// computed, which are claims like any other. The checker writes the query itself, from the
/// stored weights as exact rationals, the leaf's box intersected with the case's exact region,
/// the case's unsafe constraints, and only the ReLU bounds it derived itself (`LeafBounds`), each
/// asserted as a sound implied constraint; unstable ReLUs are `ite` terms.
struct LeafQuery {
    /// The SMT-LIB text (QF_LRA).
    let text: String

    init(network: ExactNetwork, bounds: LeafBounds, box: (lower: [Rational], upper: [Rational]),
         specCase: SpecificationCase) {
        var names: [String] = []
        var assertions: [Formula] = []
        func declare(_ name: String) -> RealVariable {
            names.append(name)
            return RealVariable(id: names.count - 1)
        }
        let inputs = (0..<network.inputSize).map { declare("X_\($0)") }
        for (i, x) in inputs.enumerated() {
            assertions.append(.compare(.variable(x), .greaterOrEqual, .constant(box.lower[i])))
            assertions.append(.compare(.variable(x), .lessOrEqual, .constant(box.upper[i])))
        }
        var current = inputs
        for (k, layer) in network.layers.enumerated() {
            switch layer {
            case let .affine(weights, bias, rows, columns):
                let (lo, hi) = bounds.bounds(of: k)
                var next: [RealVariable] = []
                for i in 0..<rows {
                    let z = declare("z\(k)_\(i)")
                    let coefficients = (0..<columns).map { weights[i * columns + $0].rational }
                    assertions.append(.compare(.variable(z), .equal, .affine(coefficients, current, plus: bias[i].rational)))
                    assertions.append(.compare(.variable(z), .greaterOrEqual, .constant(lo[i].rational)))
                    assertions.append(.compare(.variable(z), .lessOrEqual, .constant(hi[i].rational)))
                    next.append(z)
                }
                current = next
            case .relu:
                let (preLo, preHi) = bounds.bounds(of: k - 1)
                var next: [RealVariable] = []
                for (j, z) in current.enumerated() {
                    let y = declare("r\(k)_\(j)")
                    let value: Term
                    if preLo[j] >= .zero { value = .variable(z) }
                    else if preHi[j] <= .zero { value = .constant(.zero) }
                    else { value = .relu(.variable(z)) }
                    assertions.append(.compare(.variable(y), .equal, value))
                    next.append(y)
                }
                current = next
            }
        }
        let outputs = current
        func term(_ expression: LinearExpression) -> Term {
            .linear(coefficients: expression.terms.map { variable, c in
                switch variable {
                case let .input(i): LinearTermEntry(inputs[i], c)
                case let .output(j): LinearTermEntry(outputs[j], c)
                }
            }, constant: expression.constant)
        }
        for (i, x) in inputs.enumerated() {
            if let l = specCase.box.lower[i] { assertions.append(.compare(.variable(x), .greaterOrEqual, .constant(l))) }
            if let u = specCase.box.upper[i] { assertions.append(.compare(.variable(x), .lessOrEqual, .constant(u))) }
        }
        for constraint in specCase.inputConstraints + specCase.outputConstraints {
            let op: ComparisonOperator = switch constraint.relation {
            case .lessOrEqual: .lessOrEqual
            case .less: .less
            case .equal: .equal
            }
            assertions.append(.compare(term(constraint.expression), op, .constant(.zero)))
        }
        text = SMTLIBPrinter(variableNames: names).script(asserting: assertions)
    }

    /// An external solver's answer.
    enum Answer: Equatable, CustomStringConvertible {
        case unsat
        case other(String)
        var description: String { switch self { case .unsat: "unsat"; case let .other(s): s } }
    }

    /// Runs `solver` (`z3` or `cvc5`, found on `PATH`) on the query with a time limit.
    func solve(with solver: String, timeoutSeconds: Int) -> Answer {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("certus-leaf-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max)).smt2")
        defer { try? FileManager.default.removeItem(at: file) }
        do { try Data(text.utf8).write(to: file) } catch { return .other("cannot write the query: \(error.localizedDescription)") }
        let arguments = solver == "z3"
            ? ["z3", "-smt2", "-T:\(timeoutSeconds)", file.path]
            : ["cvc5", "--lang", "smt2", "--tlimit=\(timeoutSeconds * 1000)", file.path]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .other("cannot run \(solver): \(error.localizedDescription)") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let first = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return first == "unsat" ? .unsat : .other(first.isEmpty ? "no answer (exit status \(process.terminationStatus))" : first)
    }

    /// Whether `name` runs on this machine.
    static func isAvailable(_ name: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name, "--version"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
