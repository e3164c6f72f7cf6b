import ArgumentParser

/// The `certus` command: a formal verifier for neural networks (ONNX + VNN-LIB) on Z3.
@main
struct Certus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certus",
        abstract: "Formal verification of neural networks: ONNX network + VNN-LIB property in, proof or checked counterexample out.",
        version: "certus \(certusVersion)",
        subcommands: [VerifyCommand.self, SupportsCommand.self, CheckCommand.self, BoundsCommand.self, SearchCommand.self, SoundnessCommand.self, CrosscheckCommand.self, CertifyCommand.self, ExportCommand.self]
    )

    @Flag(help: "Print the solver's full name (the VNN-LIB 2.0 global option).") var name = false

    func run() async throws {
        guard name else { throw CleanExit.helpRequest(self) }
        print("Certus")
    }
}
