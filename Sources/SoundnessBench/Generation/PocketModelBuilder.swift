import Foundation
import NetworkIR
import Search

/// Builds one network with planted pockets (`Pocket`, `PocketPlanter`) and its instances.
///
/// 1. A random base network; box centres drawn at random, each box's radius halved until the
///    sound bounds prove the *base* robust on it, so that after planting every counterexample of
///    the box lies in its pocket.
/// 2. One pocket per unverifiable box, at a random place of the box (interior, face, near a
///    corner, corner), with random anisotropic widths and a height that leaves the target a
///    random margin at the centre; supports are kept away from every other box.
/// 3. The planted network is written, read back, and each planted point checked on it in
///    float64 and float32; then the hidden-ness attack runs on each unverifiable box. A found
///    pocket is narrowed fourfold and the network rebuilt; after `hidingRounds` rounds, boxes
///    whose pocket is still found are dropped.
/// 4. Clean boxes are proved safe on the final network where the bounds can.
struct PocketModelBuilder {
    let spec: ModelSpec
    let name: String
    let unverifiable: Int
    let clean: Int
    let options: GeneratorOptions

    func build(rng: inout SplitMix64) throws -> PlantedModel {
        var lastFailure = "no attempt"
        for _ in 0..<3 {
            let base = RandomNetworks.make(spec, usesMatMul: spec.kind == .mlp && rng.next() & 1 == 1, rng: &rng).roundedToFloat32
            let baseLoaded = try PlantingToolkit.written(base, name: name).loaded
            let boxes = chooseBoxes(count: unverifiable + clean, base: baseLoaded, usable: PocketPlanter.usableInputs(of: base),
                                    rng: &rng)
            guard boxes.count == unverifiable + clean else {
                lastFailure = "only \(boxes.count) of \(unverifiable + clean) boxes could be proved robust on the base network"
                continue
            }
            return try plant(base: base, boxes: boxes, rng: &rng)
        }
        throw SoundnessBenchError.generationFailed(model: name, reason: lastFailure)
    }

    /// Draws boxes that the base is proved robust on, pairwise apart.
    func chooseBoxes(count: Int, base: Network, usable: [Int], rng: inout SplitMix64) -> [RobustnessProperty] {
        var chosen: [RobustnessProperty] = []
        var attempts = 0
        while chosen.count < count && attempts < 25 * count {
            attempts += 1
            let centre = PlantingToolkit.randomCentre(base.inputSize, rng: &rng)
            let (label, isStrict) = PlantingToolkit.topClass(base.evaluate(centre))
            guard isStrict else { continue }
            for radius in [0.05, 0.025, 0.0125, 0.00625] {
                let box = PlantingToolkit.box(centre, radius: radius)
                guard chosen.allSatisfy({ PlantingToolkit.areApart(box, ($0.lower, $0.upper), along: usable, gap: 0.02) }) else { break }
                let property = RobustnessProperty(lower: box.lower, upper: box.upper, label: label, classCount: base.outputSize)
                if PlantingToolkit.provedSafe(base, property.specification) {
                    chosen.append(property)
                    break
                }
            }
        }
        return chosen
    }

    func plant(base: LayeredNetwork, boxes: [RobustnessProperty], rng: inout SplitMix64) throws -> PlantedModel {
        let baseModel = try base.model()
        let usable = PocketPlanter.usableInputs(of: base)
        // Pockets for the first `unverifiable` boxes.
        var pockets: [Int: (pocket: Pocket, placement: String)] = [:]
        var widthScale: [Int: Double] = [:]
        for b in 0..<unverifiable {
            widthScale[b] = rng.nextLogUniform(0.003, 0.05)
            pockets[b] = makePocket(box: boxes[b], index: b, others: boxes, usable: usable, scale: widthScale[b] ?? 0.01,
                                    baseModel: baseModel, rng: &rng)
        }
        var attacks: [Int: AttackRecord] = [:]
        var margins: [Int: (Double, Double)] = [:]
        var dropped: [String] = []
        var round = 0
        while true {
            round += 1
            let ordered = pockets.keys.sorted()
            let planted = try PocketPlanter.plant(ordered.compactMap { pockets[$0]?.pocket }, in: base,
                                                  inputShift: PlantingToolkit.copyShift).roundedToFloat32
            let written = try PlantingToolkit.written(planted, name: name)
            let loaded = written.loaded
            var found: [Int] = []
            for b in ordered {
                guard let pocket = pockets[b]?.pocket,
                      let m = PlantingToolkit.plantedMargins(loaded, boxes[b], point: pocket.centre, target: pocket.target) else {
                    found.append(b)  // not a counterexample in both precisions: rebuild without it below
                    attacks[b] = nil
                    continue
                }
                margins[b] = m
                let record = try options.attack.run(on: loaded, specification: boxes[b].specification,
                                                    seed: rng.next())
                attacks[b] = record
                if record.found { found.append(b) }
            }
            if found.isEmpty || round > options.hidingRounds {
                if !found.isEmpty {
                    for b in found {
                        dropped.append("box \(b): planted point \(attacks[b] == nil ? "did not validate" : "still found by the attack") after \(options.hidingRounds) rounds")
                        pockets[b] = nil
                    }
                    continue  // rebuild without them and check the rest again on the final network
                }
                return finish(planted: planted, onnx: written.data, loaded: loaded, boxes: boxes, pockets: pockets, attacks: attacks,
                              margins: margins, dropped: dropped, rng: &rng)
            }
            for b in found {
                widthScale[b] = (widthScale[b] ?? 0.01) / 4
                pockets[b] = makePocket(box: boxes[b], index: b, others: boxes, usable: usable, scale: widthScale[b] ?? 0.01,
                                        baseModel: baseModel, rng: &rng)
            }
        }
    }

    /// A pocket for box `index`: placement by rotation, widths `radius·scale·U(0.5, 2)`, height
    /// leaving a margin `κ·|g|` (κ log-uniform in [0.1, 1]) where `g < 0` is the base's
    /// `f_target − f_label` at the centre.
    func makePocket(box: RobustnessProperty, index: Int, others: [RobustnessProperty], usable: [Int], scale: Double,
                    baseModel: BenchModel, rng: inout SplitMix64) -> (pocket: Pocket, placement: String) {
        var placement = PlantingToolkit.placements[index % PlantingToolkit.placements.count]
        // A pocket exactly at a vertex cannot hide where the attack samples every vertex.
        if placement == "corner" && box.lower.count < 63 && 1 << box.lower.count <= options.attack.cornerSamples {
            placement = "near-corner"
        }
        let centre = PlantingToolkit.placePoint(placement, lower: box.lower, upper: box.upper, rng: &rng)
        let radius = (box.upper[0] - box.lower[0]) / 2
        let dimensions = usable.count <= 12 ? usable
            : rng.nextSubset(of: usable.count, count: 8 + rng.nextInt(below: 5)).map { usable[$0] }
        var widths = dimensions.map { _ in Double(Float(radius * scale * rng.nextDouble(in: 0.5, 2))) }
        let target = box.targets[rng.nextInt(below: box.targets.count)]
        let scores = baseModel.evaluate(centre)
        let deficit = max(scores[box.label] - scores[target], 0)
        let margin = max(rng.nextLogUniform(0.1, 1) * deficit, 1e-3)
        var pocket = Pocket(centre: centre, dimensions: dimensions, widths: widths, label: box.label, target: target,
                            amplitude: Double(Float(deficit + margin)))
        // Keep the support off every other box: bound it along an input that separates the two
        // boxes (one exists among the usable inputs, `chooseBoxes` made sure), then narrow it.
        for (j, other) in others.enumerated() where j != index {
            func gap(_ i: Int) -> Double { max(0, other.lower[i] - centre[i], centre[i] - other.upper[i]) }
            if !pocket.dimensions.contains(where: { gap($0) > 0 }), let extra = usable.first(where: { gap($0) > 0 }) {
                pocket.dimensions.append(extra)
                widths.append(Double(Float(radius * scale)))
                pocket.widths = widths
            }
            var halvings = 0
            while pocket.supportMeets(lower: other.lower, upper: other.upper) && halvings < 200 {
                widths = widths.map { Double(Float($0 / 2)) }
                pocket.widths = widths
                halvings += 1
            }
        }
        return (pocket, placement)
    }

    func finish(planted: LayeredNetwork, onnx: Data, loaded: Network, boxes: [RobustnessProperty],
                pockets: [Int: (pocket: Pocket, placement: String)], attacks: [Int: AttackRecord],
                margins: [Int: (Double, Double)], dropped: [String], rng: inout SplitMix64) -> PlantedModel {
        var instances: [(property: RobustnessProperty, record: GeneratedInstance)] = []
        for (b, box) in boxes.enumerated() {
            let radius = (box.upper[0] - box.lower[0]) / 2
            var record = GeneratedInstance(onnx: "", vnnlib: "", label: .clean, model: spec.description, planting: .pocket,
                                           classLabel: box.label, radius: radius, baseProvedRobust: true)
            if b < unverifiable {
                guard let (pocket, placement) = pockets[b], let margin = margins[b] else { continue }
                record.label = .unverifiable
                record.counterexample = pocket.centre
                record.target = pocket.target
                record.marginFloat64 = margin.0
                record.marginFloat32 = margin.1
                record.placement = placement
                record.pocket = pocket
                record.attack = attacks[b]
                record.provedSafe = false
            } else {
                let proved = PlantingToolkit.provedSafe(loaded, box.specification)
                record.provedSafe = proved
                if !proved { record.attack = try? options.attack.run(on: loaded, specification: box.specification, seed: rng.next()) }
                if record.attack?.found == true { continue }  // a natural counterexample: not clean
            }
            instances.append((box, record))
        }
        return PlantedModel(network: planted, onnx: onnx, instances: instances, dropped: dropped)
    }
}
