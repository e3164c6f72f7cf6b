import ArgumentParser
import Bounds

/// `certus bounds --method`: one bounding method, or all of them in order. The parser lists the
/// values in the help and rejects others.
enum BoundsMethodArgument: String, CaseIterable, ExpressibleByArgument {
    case interval, linear, lagrangian, all

    /// The methods the value names, cheapest first.
    var methods: [BoundsMethod] {
        switch self {
        case .interval: [.interval]
        case .linear: [.linear]
        case .lagrangian: [.lagrangian]
        case .all: BoundsMethod.allCases
        }
    }
}
