import ArgumentParser

/// The `certus` command: a formal verifier for neural networks (ONNX + VNN-LIB) on Z3.
@main
struct Certus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certus",
        abstract: "Formal verification of neural networks: ONNX network + VNN-LIB property in, proof or checked counterexample out.",
        discussion: """
        Exit status: 0 when a verdict was printed (sat, unsat, unknown or timeout); 2 for bad input, \
        with one line on standard error starting error: that names the file and the problem; 64 for \
        a usage error (an unknown option, a missing argument, a value out of range), with the usage; \
        1 for an internal failure, and for check and the soundness commands as each one's help says.
        """,
        version: "certus \(certusVersion)",
        subcommands: [VerifyCommand.self, SupportsCommand.self, CheckCommand.self, BoundsCommand.self, SearchCommand.self, SoundnessCommand.self, CrosscheckCommand.self, CertifyCommand.self, ExportCommand.self]
    )

    @Flag(help: "Print the solver's full name (the VNN-LIB 2.0 global option).") var name = false

    func run() async throws {
        guard name else { throw CleanExit.helpRequest(self) }
        print("Certus")
    }
}
