import ArgumentParser

/// The `certus` command: a formal verifier for neural networks (ONNX + VNN-LIB) on Z3.
@main
struct Certus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certus",
        abstract: "Formal verification of neural networks: ONNX network + VNN-LIB property in, proof or checked counterexample out.",
        version: "certus \(certusVersion)",
        subcommands: [VerifyCommand.self, CheckCommand.self, BoundsCommand.self, SearchCommand.self, SoundnessCommand.self, CrosscheckCommand.self]
    )
}
