import Foundation
import NetworkIR
import ONNXImport
import Testing
import TestSupport
import VNNLIB
import Verifier
@testable import Certify

/// Certificates of ReLU-split trees (format version 2) on a network with 20 inputs, more than the
/// input-split limit of 16 (scripts/make_certificate_fixtures.py): y = relu(p) + relu(q) with
/// p, q ≤ 1 exactly, while the root's relaxation allows y up to about 3, so proving y < 2.05
/// needs ReLU splits.
struct ReLUSplitCertificateTests {
    static let network = Fixtures.url("certify/relu_split_20.onnx")
    static let changedNetwork = Fixtures.url("certify/relu_split_20_changed.onnx")

    static func property(threshold: String = "2.05") throws -> Specification {
        var lines = (0..<20).map { "(declare-const X_\($0) Real)" } + ["(declare-const Y_0 Real)"]
        for i in 0..<20 { lines += ["(assert (>= X_\(i) 0.0))", "(assert (<= X_\(i) 1.0))"] }
        lines.append("(assert (>= Y_0 \(threshold)))")
        return try PropertyParser.parse(text: lines.joined(separator: "\n"), fileName: "relu20.vnnlib")
    }

    /// A proof of the fixture and its certificate, made once for the tests below.
    static func proof() async throws -> (Network, Specification, [String]) {
        let network = try ONNXLoader.load(contentsOf: network)
        let spec = try property()
        let (verdict, lines) = try await CertificateTests.prove(network, spec)
        #expect(verdict == .holds)
        return (network, spec, lines)
    }

    @Test func aReLUSplitProofCertifies() async throws {
        let (network, spec, lines) = try await Self.proof()
        #expect(lines.first?.contains("\"version\":2") == true)
        #expect(lines.contains { $0.contains("\"tree\":\"relu\"") }, "a ReLU-split tree")
        #expect(lines.contains { $0.contains("\"t\":\"relu-split\"") }, "the proof needs a ReLU split")
        #expect(lines.contains { $0.contains("\"t\":\"neuron\"") }, "the root's optimised bounds come with hints")
        let report = try CertificateTests.certify(network, spec, lines)
        #expect(report.isValid, "\(report.failure ?? "")")
        #expect(report.boundRefutations + report.solverRefutations >= 2)
    }

    /// A removed leaf leaves its case open at a node: a hole in the cover.
    @Test func aRemovedLeafIsAHole() async throws {
        let (network, spec, lines) = try await Self.proof()
        let leaf = try #require(lines.lastIndex { $0.contains("\"t\":\"refute\"") || $0.contains("\"t\":\"z3\"") })
        var holed = lines
        holed.remove(at: leaf)
        let report = try CertificateTests.certify(network, spec, holed)
        #expect(report.failure?.contains("unrefuted") == true, "\(report.failure ?? "accepted")")
    }

    /// β is only a hint, but the bound is recomputed with it: β = 0 at a neuron the node splits
    /// changes nothing, while a huge β there fails the leaf, and a negative β, or β at a neuron
    /// the node does not split, is rejected outright (those terms would not be valid).
    @Test func changedSplitMultipliersAreRejected() async throws {
        let (network, spec, lines) = try await Self.proof()
        // The phases of every node, from the relu-split records.
        var phases: [Int: [(layer: Int, neuron: Int)]] = [0: []]
        for line in lines where line.contains("\"t\":\"relu-split\"") {
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let parent = try #require(fields["node"] as? Int), children = try #require(fields["children"] as? [Int])
            let split = (layer: try #require(fields["layer"] as? Int), neuron: try #require(fields["neuron"] as? Int))
            for child in children { phases[child] = (phases[parent] ?? []) + [split] }
        }
        // The deepest refuted node: its output box alone does not prove it, so its bound is the
        // back-substituted one, which the split terms enter.
        func node(_ line: String) -> Int? {
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["node"] as? Int
        }
        let refutations = lines.indices.filter { lines[$0].contains("\"t\":\"refute\"") && !lines[$0].contains("betas") }
        let index = try #require(refutations.max { (phases[node(lines[$0]) ?? 0]?.count ?? 0) < (phases[node(lines[$1]) ?? 0]?.count ?? 0) })
        let fixed = try #require(phases[node(lines[index]) ?? 0])
        #expect(fixed.count >= 2)
        let (layer, neuron) = try #require(fixed.last)
        func withBetas(_ entry: String) -> [String] {
            var copy = lines
            copy[index] = String(lines[index].dropLast()) + ",\"betas\":[\(entry)]}"
            return copy
        }
        let zero = try CertificateTests.certify(network, spec, withBetas("[\(layer),\(neuron),\"0x0p+0\"]"))
        #expect(zero.isValid, "\(zero.failure ?? "")")
        let huge = try CertificateTests.certify(network, spec, withBetas("[\(layer),\(neuron),\"0x1p+20\"]"))
        #expect(huge.failure?.contains("does not refute") == true, "\(huge.failure ?? "accepted")")
        #expect(huge.failure?.contains("line \(index + 1)") == true, "the failing record is named")
        let negative = try CertificateTests.certify(network, spec, withBetas("[\(layer),\(neuron),\"-0x1p+0\"]"))
        #expect(negative.failure?.contains("negative split multiplier") == true, "\(negative.failure ?? "accepted")")
        let other = try #require((0..<network.layerSizes[layer]).first { j in !fixed.contains { $0.layer == layer && $0.neuron == j } })
        let elsewhere = try CertificateTests.certify(network, spec, withBetas("[\(layer),\(other),\"0x1p+0\"]"))
        #expect(elsewhere.failure?.contains("does not split") == true, "\(elsewhere.failure ?? "accepted")")
    }

    /// The root's intermediate bounds are recomputed from the hints, not trusted, and matter:
    /// on relu_hint_20 the root is proved only with α-CROWN's optimised bound of p (slope at most
    /// 1/2 at b); the hints replaced by slope 1 (CROWN's adaptive choice) fail the refutation
    /// (y ≤ 0.92 instead of 0.75, against 0.8). A hint after the root was refuted (it is no longer
    /// open), or one naming a ReLU layer, is rejected.
    @Test func intermediateBoundsComeFromTheHints() async throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.url("certify/relu_hint_20.onnx"))
        let spec = try Self.property(threshold: "0.8")
        let (verdict, lines) = try await CertificateTests.prove(network, spec)
        #expect(verdict == .holds)
        let hints = lines.indices.filter { lines[$0].contains("\"t\":\"neuron\"") }
        #expect(!hints.isEmpty)
        let valid = try CertificateTests.certify(network, spec, lines)
        #expect(valid.isValid, "\(valid.failure ?? "")")

        let ones = lines.map { line -> String in
            guard line.contains("\"t\":\"neuron\"") else { return line }
            return line.replacingOccurrences(of: #",(\d+)\]"#, with: ",1099511627776]", options: .regularExpression)
        }
        #expect(ones != lines)
        let loosened = try CertificateTests.certify(network, spec, ones)
        #expect(loosened.failure?.contains("does not refute") == true, "\(loosened.failure ?? "accepted")")

        var late = lines
        late.insert(lines[try #require(hints.first)], at: late.count - 1)
        let misplaced = try CertificateTests.certify(network, spec, late)
        #expect(misplaced.failure?.contains("node 0 is not an open node") == true, "\(misplaced.failure ?? "accepted")")

        var relu = lines
        relu[hints[0]] = lines[hints[0]].replacingOccurrences(of: "\"layer\":2,", with: "\"layer\":1,")
        #expect(relu != lines)
        let wrongLayer = try CertificateTests.certify(network, spec, relu)
        #expect(wrongLayer.failure?.contains("affine layer") == true, "\(wrongLayer.failure ?? "accepted")")
    }

    /// A node's neurons are bounded on several threads; the verdict and the failure named do not
    /// depend on how many.
    @Test func theAnswerDoesNotDependOnTheThreadCount() async throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.url("certify/relu_hint_20.onnx"))
        let spec = try Self.property(threshold: "0.8")
        let (_, lines) = try await CertificateTests.prove(network, spec)
        let ones = lines.map { line -> String in
            guard line.contains("\"t\":\"neuron\"") else { return line }
            return line.replacingOccurrences(of: #",(\d+)\]"#, with: ",1099511627776]", options: .regularExpression)
        }
        for certificate in [lines, ones] {
            let reports = try [1, 2, 5].map { try CertificateTests.certify(network, spec, certificate, parallelism: $0) }
            #expect(Set(reports.map { $0.failure ?? "valid" }).count == 1, "\(reports.map(\.failure))")
            #expect(Set(reports.map(\.boundRefutations)).count == 1)
        }
        #expect(try CertificateTests.certify(network, spec, lines, parallelism: 3).isValid)
        #expect(try !CertificateTests.certify(network, spec, ones, parallelism: 3).isValid)
    }

    /// The same certificate against the network with one output weight changed (1 → 1.125, so
    /// y reaches 2.125 and the property fails) does not check.
    @Test func aChangedWeightFailsTheCertificate() async throws {
        let (_, spec, lines) = try await Self.proof()
        let changed = try ONNXLoader.load(contentsOf: Self.changedNetwork)
        let report = try CertificateTests.certify(changed, spec, lines)
        #expect(report.isValid == false)
    }

    /// A version 2 certificate names its files' SHA-256: checked against other files, it is
    /// rejected before any record is read.
    @Test func aCertificateForOtherFilesIsRejected() async throws {
        let (network, spec, lines) = try await Self.proof()
        var header = lines[0]
        header.removeLast()
        header += ",\"onnx_sha256\":\"\(try #require(FileDigest.sha256(path: Self.network.path)))\",\"vnnlib_sha256\":\"00\"}"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("certify-test-\(UUID().uuidString).cert").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(([header] + lines.dropFirst()).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        var options = CertificateChecker.Options()
        options.fileDigests = (try #require(FileDigest.sha256(path: Self.changedNetwork.path)), "00")
        let other = try CertificateChecker(network: network, specification: spec, options: options).check(path: path)
        #expect(other.failure?.contains("another ONNX file") == true, "\(other.failure ?? "accepted")")
        options.fileDigests = (try #require(FileDigest.sha256(path: Self.network.path)), "00")
        let same = try CertificateChecker(network: network, specification: spec, options: options).check(path: path)
        #expect(same.isValid, "\(same.failure ?? "")")
    }

    /// Version 1 certificates (input-split trees, no file digests) still check.
    @Test func aVersionOneCertificateStillChecks() async throws {
        let network = try ONNXLoader.load(contentsOf: CertificateTests.network)
        let spec = try CertificateTests.property("(assert (>= (+ Y_0 Y_1) 2.1))")
        let (_, lines) = try await CertificateTests.prove(network, spec)
        var versionOne = lines
        versionOne[0] = lines[0].replacingOccurrences(of: "\"version\":2", with: "\"version\":1")
        #expect(versionOne[0] != lines[0])
        let report = try CertificateTests.certify(network, spec, versionOne)
        #expect(report.isValid, "\(report.failure ?? "")")
    }
}
