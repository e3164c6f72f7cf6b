import Foundation
import NetworkIR
import ONNXImport
import VNNLIB

/// A network and a property read from the user's files and checked against each other.
struct Instance {
    var network: Network
    var specification: Specification

    /// Reads both files; any problem becomes an `InputError` naming the file.
    static func load(model: String, property: String) throws -> Instance {
        let network: Network
        do {
            network = try ONNXLoader.load(contentsOf: URL(fileURLWithPath: model), fileName: model)
        } catch let error as ONNXError {
            throw InputError(description: error.description)
        } catch let error as NetworkError {
            throw InputError(description: "\(model): \(error.description)")
        }
        let specification: Specification
        do {
            specification = try PropertyParser.parse(contentsOf: URL(fileURLWithPath: property))
        } catch let error as VNNLIBError {
            throw InputError(description: error.description)
        }
        guard specification.inputCount == network.inputSize else {
            throw InputError(description: "\(property): declares \(specification.inputCount) inputs X_i but \(model) takes \(network.inputSize)")
        }
        guard specification.outputCount == network.outputSize else {
            throw InputError(description: "\(property): declares \(specification.outputCount) outputs Y_j but \(model) produces \(network.outputSize)")
        }
        if let (variable, side) = firstUnboundedInput(specification) {
            throw InputError(description: "\(property): input \(variable) has no \(side) bound; every input needs a lower and an upper bound, as in (assert (>= \(variable) -1)) and (assert (<= \(variable) 1))")
        }
        return Instance(network: network, specification: specification)
    }

    /// The first input, in a case with a non-empty region, that lacks a lower or an upper bound:
    /// its name (`X_3`) and the side missing. Such a property asks about every real value of
    /// the input, which VNN-LIB benchmarks never do; it is almost always a missing assertion.
    static func firstUnboundedInput(_ specification: Specification) -> (String, String)? {
        for specCase in specification.cases where !specCase.box.isEmpty {
            for i in 0..<specCase.box.count {
                if specCase.box.lower[i] == nil { return ("X_\(i)", "lower") }
                if specCase.box.upper[i] == nil { return ("X_\(i)", "upper") }
            }
        }
        return nil
    }
}
