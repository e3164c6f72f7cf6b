/// Errors raised when a search is set up on a network and a specification that do not fit
/// together, or with options that cannot be honoured.
public enum SearchError: Error, Equatable, CustomStringConvertible {
    /// The specification declares `declared` inputs but the network takes `network`.
    case inputCountMismatch(declared: Int, network: Int)
    /// The specification declares `declared` outputs but the network yields `network`.
    case outputCountMismatch(declared: Int, network: Int)
    /// A constraint of case `caseIndex` mentions a variable beyond the declared ones.
    case variableOutOfRange(caseIndex: Int, variable: String)
    /// Case `caseIndex` has a box over `count` inputs, not the declared number.
    case boxSizeMismatch(caseIndex: Int, count: Int, expected: Int)
    /// An option has a value the search cannot use.
    case invalidOption(name: String, reason: String)
    /// A layer index names no layer of the network.
    case layerOutOfRange(layer: Int, layerCount: Int)
    /// A candidate input has `count` values but the network takes `expected`.
    case candidateSizeMismatch(count: Int, expected: Int)
    /// A case index names no case of the specification.
    case caseOutOfRange(caseIndex: Int, caseCount: Int)

    public var description: String {
        switch self {
        case let .inputCountMismatch(declared, network):
            "the property declares \(declared) inputs but the network takes \(network)"
        case let .outputCountMismatch(declared, network):
            "the property declares \(declared) outputs but the network yields \(network)"
        case let .variableOutOfRange(caseIndex, variable):
            "case \(caseIndex) of the property mentions \(variable), which is not declared"
        case let .boxSizeMismatch(caseIndex, count, expected):
            "case \(caseIndex) of the property bounds \(count) inputs, expected \(expected)"
        case let .invalidOption(name, reason):
            "search option '\(name)' is invalid: \(reason)"
        case let .layerOutOfRange(layer, layerCount):
            "layer \(layer) does not exist (the network has \(layerCount) layers)"
        case let .candidateSizeMismatch(count, expected):
            "the candidate input has \(count) values but the network takes \(expected)"
        case let .caseOutOfRange(caseIndex, caseCount):
            "case \(caseIndex) does not exist (the property has \(caseCount) cases)"
        }
    }
}
