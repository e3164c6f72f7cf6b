import VNNLIB

/// Errors in the inputs of a bounds computation.
public enum BoundsError: Error, Equatable, CustomStringConvertible {
    /// The input box has `actual` coordinates but the network takes `expected` inputs.
    case inputSizeMismatch(expected: Int, actual: Int)
    /// A constraint mentions a variable the network does not have.
    case variableOutOfRange(Variable, inputs: Int, outputs: Int)
    /// A fixed ReLU phase names a neuron that is not a ReLU neuron of the network.
    case invalidPhase(layer: Int, neuron: Int, reason: String)
    /// An objective's coefficient vectors do not match the network's sizes.
    case objectiveSizeMismatch(expectedOutputs: Int, actualOutputs: Int, expectedInputs: Int, actualInputs: Int)

    public var description: String {
        switch self {
        case let .inputSizeMismatch(expected, actual):
            "input box has \(actual) coordinates but the network takes \(expected) inputs"
        case let .variableOutOfRange(variable, inputs, outputs):
            "constraint mentions \(variable) but the network has \(inputs) inputs and \(outputs) outputs"
        case let .invalidPhase(layer, neuron, reason):
            "cannot fix the phase of neuron \(neuron) in layer \(layer): \(reason)"
        case let .objectiveSizeMismatch(eo, ao, ei, ai):
            "objective has \(ao) output and \(ai) input coefficients; the network has \(eo) outputs and \(ei) inputs"
        }
    }
}
