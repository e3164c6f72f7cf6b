import Foundation
import NetworkIR
import Search

/// Builds one trained MLP with planted counterexamples and its instances (SoundnessBench's
/// construction, SoundnessBench, Zhou et al. 2024, arXiv 2412.03154, with `CounterTrainer`).
///
/// Boxes of radius 0.1 around random, pairwise separated centres with balanced labels; each
/// unverifiable box gets a planted point towards a random vertex (every offset 45-70% of the
/// radius: SoundnessBench's `_add_pertubation` plants at the vertex itself, which a ReLU network
/// trained from random weights carves most readily, but a vertex is where a sampler looks
/// first; interior pockets are the weight construction's job), and a random other class as
/// target. Rounds of training
/// and checking follow: the network is rounded to float32, written, read back; every planted
/// point must be a counterexample there in float64 and float32, and the hidden-ness attack must
/// find nothing in any box. Points the attack finds are added to the training set with the
/// box's label (or, inside a planted point's free zone, the zone is halved), the counter
/// objective of a planted point that is still classified correctly is doubled, and training
/// resumes. The round in which the most boxes pass is kept; the boxes that fail in it are
/// dropped.
struct TrainedModelBuilder {
    let spec: ModelSpec
    let name: String
    let unverifiable: Int
    let clean: Int
    let options: GeneratorOptions
    /// The box radius.
    static let radius = 0.1
    /// Where planted points go.
    static let placement = "near-vertex"
    /// The first free zone around a planted point, as a fraction of the radius.
    static let initialZone = 0.25

    func build(rng: inout SplitMix64) throws -> PlantedModel {
        let n = spec.inputSize
        let all = Array(0..<n)
        var boxes: [TrainingBox] = []
        var attempts = 0
        let labels = rng.shuffled((0..<(unverifiable + clean)).map { $0 % spec.classes })
        while boxes.count < unverifiable + clean {
            attempts += 1
            guard attempts < 1000 else {
                throw SoundnessBenchError.generationFailed(model: name, reason: "cannot place \(unverifiable + clean) separated boxes")
            }
            let centre = PlantingToolkit.randomCentre(n, rng: &rng)
            let box = PlantingToolkit.box(centre, radius: Self.radius)
            guard boxes.allSatisfy({ PlantingToolkit.areApart(box, ($0.lower, $0.upper), along: all, gap: 0.1) }) else { continue }
            let label = labels[boxes.count]
            var training = TrainingBox(lower: box.lower, upper: box.upper, label: label)
            if boxes.count < unverifiable {
                training.planted = PlantingToolkit.placePoint(Self.placement, lower: box.lower, upper: box.upper, rng: &rng)
                let others = (0..<spec.classes).filter { $0 != label }
                training.target = others[rng.nextInt(below: others.count)]
                training.zoneRadius = Self.radius * Self.initialZone
            }
            boxes.append(training)
        }

        var mlp = DenseMLP(RandomNetworks.make(spec, usesMatMul: false, rng: &rng))
        var trainingOptions = CounterTrainer.Options()
        trainingOptions.epochs = options.trainingEpochs
        let trainer = CounterTrainer(options: trainingOptions)
        var extra: [(point: [Double], label: Int)] = []
        var best: (score: Int, model: PlantedModel)?
        for round in 1...options.hidingRounds {
            _ = trainer.train(&mlp, boxes: boxes, extra: extra, rng: &rng)
            let network = mlp.layered(inputShape: spec.inputShape, usesMatMul: false).roundedToFloat32
            let written = try PlantingToolkit.written(network, name: name)
            var failing: [Int: String] = [:]
            var passed: [(property: RobustnessProperty, record: GeneratedInstance)] = []
            for (b, box) in boxes.enumerated() {
                let property = RobustnessProperty(lower: box.lower, upper: box.upper, label: box.label, classCount: spec.classes)
                var record = GeneratedInstance(onnx: "", vnnlib: "", label: box.planted == nil ? .clean : .unverifiable,
                                               model: spec.description, planting: .trained, classLabel: box.label,
                                               radius: PlantingToolkit.quantize(Self.radius))
                if let planted = box.planted, let target = box.target {
                    guard let margins = PlantingToolkit.plantedMargins(written.loaded, property, point: planted, target: target) else {
                        let scores = written.loaded.evaluate(planted)
                        failing[b] = "the planted point is not misclassified in float64 and float32"
                            + String(format: " (score of the target minus the label's: %.3g)", scores[target] - scores[box.label])
                        boxes[b].counterBoost *= 2  // push harder on the planted point next round
                        continue
                    }
                    record.counterexample = planted
                    record.target = target
                    record.marginFloat64 = margins.float64
                    record.marginFloat32 = margins.float32
                    record.placement = Self.placement
                    record.provedSafe = false
                } else {
                    record.provedSafe = PlantingToolkit.provedSafe(written.loaded, property.specification)
                }
                if record.provedSafe != true {
                    let attack = try options.attack.run(on: written.loaded, specification: property.specification, seed: rng.next())
                    record.attack = attack
                    if attack.found, let point = attack.point {
                        let distance = box.planted.map { p in zip(point, p).map { abs($0 - $1) }.max() ?? 0 }
                        failing[b] = "the attack finds a counterexample" + (distance.map {
                            String(format: " at L-inf distance %.3g from the planted point (zone %.3g)", $0, box.zoneRadius)
                        } ?? "") + " after \(attack.pointsEvaluated) evaluations"
                        if box.isInZone(point) {
                            boxes[b].zoneRadius /= 2  // the pocket is too wide: carve a smaller one
                        } else {
                            extra.append((point, box.label))
                        }
                        continue
                    }
                }
                passed.append((property, record))
            }
            // Keep the round in which the most boxes pass (unverifiable ones first): boxes are
            // checked together on one network, so a round's passing set is consistent.
            let unverifiablePassed = passed.filter { $0.record.label == .unverifiable }.count
            let score = unverifiablePassed * 1000 + passed.count
            if best.map({ score > $0.score }) ?? true {
                let dropped = failing.sorted { $0.key < $1.key }.map { "box \($0.key): \($0.value) (round \(round))" }
                best = (score, PlantedModel(network: network, onnx: written.data, instances: passed, dropped: dropped))
            }
            if failing.isEmpty { break }
        }
        return best?.model ?? PlantedModel(network: LayeredNetwork(inputShape: spec.inputShape, convolutions: [], dense: [],
                                                                   usesMatMul: false),
                                           onnx: Data(), instances: [], dropped: ["no training round ran"])
    }
}
