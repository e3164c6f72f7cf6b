import Foundation
import VNNLIB

/// libFuzzer entry point for the VNN-LIB readers (1.0, and 2.0 when the bytes start with the
/// `vnnlib-version` header, then translated onto the product network).
///
/// Any bytes must either parse into a `Specification` whose invariants hold, or fail with one
/// `VNNLIBError` whose message is a single line naming the file. A trap, a sanitizer report, a
/// broken invariant (turned into a trap here, the fuzzer's way to report a finding), a timeout
/// or running out of memory is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVNNLIB(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let name = "fuzz.vnnlib"
    do {
        if QueryParser.isQuery(bytes: bytes) {
            let query = try QueryParser.parse(bytes: bytes, fileName: name)
            check(try query.translate().1)
        } else {
            check(try PropertyParser.parse(bytes: bytes, fileName: name))
        }
    } catch let error as VNNLIBError {
        let message = error.description
        precondition(message.hasPrefix(name + ":"), "error message does not name the file: \(message)")
        precondition(!message.contains(where: \.isNewline), "error message spans lines: \(message)")
    } catch {
        preconditionFailure("parse threw a non-VNNLIBError: \(error)")
    }
    return 0
}

/// The invariants the rest of Certus relies on, and a pass over the conversions it performs
/// (directed rounding of every bound, exact evaluation at a point).
private func check(_ spec: Specification) {
    for specCase in spec.cases {
        precondition(specCase.box.count == spec.inputCount, "box size differs from the input count")
        precondition(!specCase.box.isEmpty, "a case with an empty box survived")
        for constraint in specCase.inputConstraints + specCase.outputConstraints {
            for (variable, coefficient) in constraint.expression.terms {
                precondition(!coefficient.isZero, "zero coefficient kept")
                switch variable {
                case let .input(i): precondition(i >= 0 && i < spec.inputCount, "input index out of range")
                case let .output(j): precondition(j >= 0 && j < spec.outputCount, "output index out of range")
                }
            }
        }
        for constraint in specCase.inputConstraints {
            precondition(constraint.expression.mentionsOnlyInputs, "input constraint mentions an output")
        }
        let lower = specCase.box.lowerDoubles, upper = specCase.box.upperDoubles
        for i in lower.indices {
            precondition(!lower[i].isNaN && !upper[i].isNaN && lower[i] <= upper[i], "rounded box is not an interval")
        }
    }
    guard spec.inputCount <= 4096, spec.outputCount <= 4096 else { return }
    let inputs = Array(repeating: 0.0, count: spec.inputCount), outputs = Array(repeating: 0.0, count: spec.outputCount)
    _ = spec.violatedCase(inputs: inputs, outputs: outputs)
    for specCase in spec.cases { _ = specCase.outputMargin(inputs: inputs, outputs: outputs) }
}

