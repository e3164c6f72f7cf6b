import ArgumentParser
import Verifier

/// `--engine bab|exact`: the parser lists the values in the help and rejects others.
extension VerifierOptions.Engine: ExpressibleByArgument {
    public var defaultValueDescription: String { rawValue }
}
