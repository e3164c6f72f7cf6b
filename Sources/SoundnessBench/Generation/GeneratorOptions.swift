/// Everything `BenchmarkGenerator` needs to know.
public struct GeneratorOptions: Sendable, Hashable {
    /// Seed of every random choice; the same options give the same benchmark.
    public var seed: UInt64
    /// The model families, in order.
    public var models: [ModelSpec]
    /// Default number of instances with a planted counterexample per model.
    public var unverifiablePerModel: Int
    /// Default number of instances without one per model.
    public var cleanPerModel: Int
    /// The per-instance timeout written to `instances.csv`, in seconds.
    public var timeout: Double
    /// The hidden-ness attack.
    public var attack: HidingAttack
    /// Rounds of "attack, then narrow or retrain" before an instance whose counterexample the
    /// attack still finds is dropped.
    public var hidingRounds: Int
    /// Epochs per training round (trained method).
    public var trainingEpochs: Int

    public init(seed: UInt64 = 1, models: [ModelSpec] = ModelSpec.defaults, unverifiablePerModel: Int = 5,
                cleanPerModel: Int = 4, timeout: Double = 60, attack: HidingAttack = HidingAttack(),
                hidingRounds: Int = 4, trainingEpochs: Int = 1500) {
        self.seed = seed
        self.models = models
        self.unverifiablePerModel = unverifiablePerModel
        self.cleanPerModel = cleanPerModel
        self.timeout = timeout
        self.attack = attack
        self.hidingRounds = hidingRounds
        self.trainingEpochs = trainingEpochs
    }

    /// Checks ranges.
    /// - Throws: `SoundnessBenchError.invalidOption` naming the option.
    public func validate() throws {
        guard !models.isEmpty else { throw SoundnessBenchError.invalidOption(name: "--models", reason: "no model given") }
        guard (0...64).contains(unverifiablePerModel), (0...64).contains(cleanPerModel),
              unverifiablePerModel + cleanPerModel > 0 else {
            throw SoundnessBenchError.invalidOption(name: "--unverifiable/--clean", reason: "0…64 each, at least one instance")
        }
        guard timeout > 0, timeout.isFinite else {
            throw SoundnessBenchError.invalidOption(name: "--timeout", reason: "must be a positive number of seconds")
        }
        guard attack.restarts >= 1, attack.steps >= 1, attack.uniformSamples >= 0, attack.cornerSamples >= 0 else {
            throw SoundnessBenchError.invalidOption(name: "--attack-restarts/--attack-steps", reason: "must be at least 1")
        }
        guard hidingRounds >= 1, trainingEpochs >= 1 else {
            throw SoundnessBenchError.invalidOption(name: "--hiding-rounds/--epochs", reason: "must be at least 1")
        }
    }
}
