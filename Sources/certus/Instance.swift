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
            network = try ONNXLoader.load(contentsOf: URL(fileURLWithPath: model))
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
        return Instance(network: network, specification: specification)
    }
}
