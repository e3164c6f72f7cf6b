import ResultCodec
/// One verifier's run on one instance, as the runner saw it.
public struct RunRecord: Sendable, Equatable, Codable {
    public var verifier: String
    /// The instance's paths as listed in `instances.csv`.
    public var onnx: String
    public var vnnlib: String
    /// The normalised verdict (a kill at the time limit is `timeout`; an unknown word `error`).
    public var verdict: ResultWord
    /// The first word of the result exactly as written.
    public var word: String
    /// Seconds of the run (`run_instance.sh` or the command).
    public var seconds: Double
    /// Seconds of `prepare_instance.sh` (0 for command templates).
    public var prepareSeconds: Double
    /// Whether the runner killed the verifier at the hard limit.
    public var killed: Bool
    /// The exit status (nil when killed or not started).
    public var exitStatus: Int32?
    /// What else there is to know (unrecognised word, missing result file, late answer, …).
    public var note: String?
    /// For `sat`: the stated counterexample run through the network.
    public var witness: WitnessCheck?
    /// For `unsat` from a verifier that writes proof certificates: what checking it found.
    public var certificate: CertificateCheck?

    public init(verifier: String, onnx: String, vnnlib: String, verdict: ResultWord, word: String, seconds: Double,
                prepareSeconds: Double = 0, killed: Bool = false, exitStatus: Int32? = nil, note: String? = nil,
                witness: WitnessCheck? = nil, certificate: CertificateCheck? = nil) {
        self.verifier = verifier
        self.onnx = onnx
        self.vnnlib = vnnlib
        self.verdict = verdict
        self.word = word
        self.seconds = seconds
        self.prepareSeconds = prepareSeconds
        self.killed = killed
        self.exitStatus = exitStatus
        self.note = note
        self.witness = witness
        self.certificate = certificate
    }

    /// `unsat` whose proof certificate was checked and failed (a missing one does not count).
    public var hasInvalidCertificate: Bool { verdict == .unsat && certificate?.status == .invalid }

    /// The instance.
    public var key: InstanceKey { InstanceKey(onnx: onnx, vnnlib: vnnlib) }

    /// `sat` with a witness that is a counterexample in at least one precision.
    public var isValidSat: Bool { verdict == .sat && witness?.isValid == true }
    /// `sat` whose witness is not a counterexample (or is missing); a witness that was never
    /// available to check (`WitnessCheck.Status.unavailable`) does not count.
    public var isInvalidSat: Bool {
        verdict == .sat && witness?.isValid != true && witness?.status != .unavailable
    }
}
